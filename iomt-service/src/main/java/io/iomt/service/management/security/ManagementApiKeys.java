package io.iomt.service.management.security;

import io.iomt.azure.keyvault.KeyVaultSecrets;
import io.iomt.service.IomtProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The keys of {@code iomt.management.api-keys}, each with its name and role. A key referenced in
 * Key Vault follows its rotations (it is read through {@link KeyVaultSecrets} on every match).
 * Presented values are compared with every key, in time that does not depend on where or whether
 * they differ (SHA-256 digests compared with {@link MessageDigest#isEqual}). Thread-safe.
 */
final class ManagementApiKeys {
  private record Entry(String name, Role role, Supplier<String> key) {}

  private final List<Entry> entries;

  private ManagementApiKeys(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** The configured keys (checked at start-up by {@link ManagementSecuritySettings}). */
  static ManagementApiKeys of(List<IomtProperties.ApiKey> keys, KeyVaultSecrets secrets) {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      IomtProperties.ApiKey k = keys.get(i);
      Role role = Role.fromSetting(k.getRole()).orElse(Role.READER);
      entries.add(
          new Entry(
              k.getName(),
              role,
              secrets.current("iomt.management.api-keys[" + i + "].key", k.getKey())));
    }
    return new ManagementApiKeys(entries);
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The caller whose key {@code presented} is; empty when it is none of the keys. */
  Optional<ManagementCaller> match(String presented) {
    byte[] digest = sha256(presented);
    Entry found = null;
    for (Entry e : entries) {
      String key = e.key().get();
      if (key != null && MessageDigest.isEqual(sha256(key), digest) && found == null) {
        found = e;
      }
    }
    return Optional.ofNullable(found)
        .map(e -> new ManagementCaller(e.name(), CallerType.KEY, e.role()));
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
