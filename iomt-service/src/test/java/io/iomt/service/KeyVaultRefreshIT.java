package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.azure.keyvault.KeyVaultReference;
import io.iomt.azure.keyvault.KeyVaultSecrets;
import io.iomt.testkit.Await;
import io.iomt.testkit.azure.keyvault.FakeKeyVault;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The schedule re-reads referenced secrets on its own. */
class KeyVaultRefreshIT {

  @Test
  void theScheduleReadsANewVersionWithoutBeingAsked() {
    try (FakeKeyVault vault = new FakeKeyVault().start()) {
      vault.putSecret("scheduled", "first-value");
      KeyVaultSecrets secrets =
          KeyVaultSecrets.resolve(
                  KeyVaultReferencesIT.resolverFor(vault),
                  Map.of(
                      "iomt.ingest.api-keys[0]",
                      KeyVaultReference.parse(KeyVaultReferencesIT.reference(vault, "scheduled"))))
              .secrets();
      Supplier<String> key = secrets.current("iomt.ingest.api-keys[0]", "bound");
      vault.putSecret("scheduled", "second-value");
      assertThat(key.get()).isEqualTo("first-value");

      KeyVaultRefresh refresh = KeyVaultRefresh.start(secrets, Duration.ofMillis(50));
      try {
        Await.untilEquals(
            "the scheduled refresh's value", key, "second-value", Duration.ofSeconds(30));
      } finally {
        refresh.close();
      }
    }
  }
}
