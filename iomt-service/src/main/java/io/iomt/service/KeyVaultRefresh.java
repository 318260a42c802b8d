package io.iomt.service;

import io.iomt.azure.keyvault.KeyVaultSecretException;
import io.iomt.azure.keyvault.KeyVaultSecrets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the Key Vault secrets that settings reference, every {@code
 * iomt.azure.key-vault.refresh-interval} (none when 0 or when no setting references Key Vault), on
 * one daemon thread. A secret that cannot be re-read keeps its last value and is logged as a
 * warning naming the setting, the vault and the secret; a new version is logged at info. No value
 * is ever logged. Thread-safe; {@link #close()} stops it.
 */
final class KeyVaultRefresh implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KeyVaultRefresh.class);

  private final KeyVaultSecrets secrets;
  private final ScheduledExecutorService scheduler;

  private KeyVaultRefresh(KeyVaultSecrets secrets, ScheduledExecutorService scheduler) {
    this.secrets = secrets;
    this.scheduler = scheduler;
  }

  static KeyVaultRefresh start(KeyVaultSecrets secrets, Duration interval) {
    if (interval.isZero() || interval.isNegative() || secrets.settings().isEmpty()) {
      return new KeyVaultRefresh(secrets, null);
    }
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "iomt-key-vault-refresh");
              t.setDaemon(true);
              return t;
            });
    KeyVaultRefresh refresh = new KeyVaultRefresh(secrets, scheduler);
    long millis = interval.toMillis();
    scheduler.scheduleWithFixedDelay(refresh::refreshNow, millis, millis, TimeUnit.MILLISECONDS);
    return refresh;
  }

  /** Re-reads now (the schedule calls this; so can an operator's or a test's trigger). */
  KeyVaultSecrets.Refresh refreshNow() {
    try {
      KeyVaultSecrets.Refresh result = secrets.refresh();
      for (String setting : result.changed()) {
        LOG.info("{}: a new version of its Key Vault secret was read and is in use", setting);
      }
      for (KeyVaultSecretException failure : result.failures()) {
        LOG.warn("{}; the last value read stays in use", failure.getMessage());
      }
      return result;
    } catch (RuntimeException e) {
      // The schedule must survive anything: a thrown exception would cancel it.
      LOG.warn(
          "Key Vault refresh failed ({}); the last values stay in use", e.getClass().getName());
      return new KeyVaultSecrets.Refresh(java.util.List.of(), java.util.List.of());
    }
  }

  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }
}
