package io.iomt.azure.keyvault;

import io.iomt.fhir.auth.Secret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The current values of the settings that reference Key Vault secrets: resolved once at start-up
 * ({@link #resolve}), re-read by {@link #refresh()} (which a scheduler calls), read by whoever uses
 * such a setting through {@link #current} suppliers, which always return the latest value read.
 *
 * <p>Setting names compare case-insensitively and with {@code -} read as {@code .}, because the
 * environment-variable form of a setting ({@code IOMT_INGEST_API_KEYS_0}) cannot tell the two
 * apart: {@code iomt.ingest.api-keys[0]} and {@code iomt.ingest.api.keys[0]} are one setting.
 *
 * <p>Thread-safe: {@link #refresh()} may run while suppliers are read. Values are {@link Secret}s,
 * masked wherever printed.
 */
public final class KeyVaultSecrets {
  private static final KeyVaultSecrets NONE = new KeyVaultSecrets(null, Map.of());

  private final KeyVaultSecretResolver resolver;
  private final Map<String, Entry> entries;

  private record Entry(String setting, KeyVaultReference reference, Secret value, String version) {}

  /**
   * What {@link #resolve} made: the holder of every setting that could be read, and a failure for
   * each that could not.
   */
  public record Resolution(KeyVaultSecrets secrets, List<KeyVaultSecretException> failures) {
    public Resolution {
      Objects.requireNonNull(secrets, "secrets");
      failures = List.copyOf(failures);
    }
  }

  /**
   * What a {@link #refresh()} did.
   *
   * @param changed the settings whose value changed (a new version)
   * @param failures the settings that could not be re-read; they keep their last value
   */
  public record Refresh(List<String> changed, List<KeyVaultSecretException> failures) {
    public Refresh {
      changed = List.copyOf(changed);
      failures = List.copyOf(failures);
    }
  }

  private KeyVaultSecrets(KeyVaultSecretResolver resolver, Map<String, Entry> entries) {
    this.resolver = resolver;
    this.entries = entries;
  }

  /** No setting references Key Vault. */
  public static KeyVaultSecrets none() {
    return NONE;
  }

  /**
   * Reads every reference now.
   *
   * @param references setting name to its reference, in the order problems should be listed
   */
  public static Resolution resolve(
      KeyVaultSecretResolver resolver, Map<String, KeyVaultReference> references) {
    Objects.requireNonNull(resolver, "resolver");
    Map<String, Entry> entries = new ConcurrentHashMap<>();
    List<KeyVaultSecretException> failures = new ArrayList<>();
    for (Map.Entry<String, KeyVaultReference> r : new LinkedHashMap<>(references).entrySet()) {
      try {
        KeyVaultSecretResolver.ResolvedSecret s = resolver.resolve(r.getKey(), r.getValue());
        entries.put(key(r.getKey()), new Entry(r.getKey(), r.getValue(), s.value(), s.version()));
      } catch (KeyVaultSecretException e) {
        failures.add(e);
      }
    }
    return new Resolution(new KeyVaultSecrets(resolver, entries), failures);
  }

  /** The settings that reference Key Vault (as first named). */
  public Set<String> settings() {
    Set<String> names = new java.util.TreeSet<>();
    entries.values().forEach(e -> names.add(e.setting()));
    return names;
  }

  /** Whether the setting's value comes from Key Vault. */
  public boolean isReferenced(String setting) {
    return entries.containsKey(key(setting));
  }

  /** The setting's latest value from Key Vault; empty when it references none. */
  public Optional<Secret> value(String setting) {
    Entry e = entries.get(key(setting));
    return e == null ? Optional.empty() : Optional.of(e.value());
  }

  /**
   * The setting's value, following Key Vault rotations: the latest value read when the setting
   * references Key Vault, otherwise {@code boundValue} (what the setting says). Each {@code get()}
   * reads the holder anew, so keep the supplier, not its value.
   */
  public Supplier<String> current(String setting, String boundValue) {
    String key = key(setting);
    return () -> {
      Entry e = entries.get(key);
      return e == null ? boundValue : e.value().reveal();
    };
  }

  /**
   * A list setting's values, following Key Vault rotations element by element: {@code setting[i]}
   * when that element references Key Vault, or the whole setting when it was one reference (then
   * the list has that one value).
   *
   * @param bound the list as bound (references already replaced by their values)
   */
  public Supplier<List<String>> currentList(String setting, List<String> bound) {
    List<Supplier<String>> elements = new ArrayList<>();
    for (int i = 0; i < bound.size(); i++) {
      elements.add(current(setting + "[" + i + "]", bound.get(i)));
    }
    if (bound.size() == 1 && isReferenced(setting)) {
      Supplier<String> whole = current(setting, bound.get(0));
      return () -> List.of(whole.get());
    }
    return () -> elements.stream().map(Supplier::get).toList();
  }

  /**
   * Re-reads every reference that follows the latest version (pinned versions never change). A
   * setting that cannot be read keeps its last value.
   */
  public Refresh refresh() {
    List<String> changed = new ArrayList<>();
    List<KeyVaultSecretException> failures = new ArrayList<>();
    for (Map.Entry<String, Entry> item : entries.entrySet()) {
      Entry e = item.getValue();
      if (!e.reference().followsLatest()) {
        continue;
      }
      try {
        KeyVaultSecretResolver.ResolvedSecret s = resolver.resolve(e.setting(), e.reference());
        if (!s.value().equals(e.value()) || !Objects.equals(s.version(), e.version())) {
          item.setValue(new Entry(e.setting(), e.reference(), s.value(), s.version()));
          changed.add(e.setting());
        }
      } catch (KeyVaultSecretException failure) {
        failures.add(failure);
      }
    }
    changed.sort(null);
    return new Refresh(changed, failures);
  }

  private static String key(String setting) {
    return setting.replace('-', '.').toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "KeyVaultSecrets" + settings();
  }
}
