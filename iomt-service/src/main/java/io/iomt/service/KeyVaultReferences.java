package io.iomt.service;

import io.iomt.azure.keyvault.KeyVaultReference;
import io.iomt.azure.keyvault.KeyVaultSecrets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Finds the {@code iomt.*} settings whose value is a Key Vault reference
 * ({@code @Microsoft.KeyVault(...)}) in every property source of the environment (files, command
 * line, environment variables), and after they are resolved, puts the secrets in their place, so
 * binding and checking see the values. Only the setting a source actually provides counts: a
 * reference shadowed by a higher-priority source is neither read nor reported. Property sources
 * keep their names, order, kind and origins (the environment-variable source stays one, so relaxed
 * names and problem messages work as before). Stateless.
 */
final class KeyVaultReferences {
  private static final ConfigurationPropertyName IOMT = ConfigurationPropertyName.of("iomt");
  private static final ConfigurationPropertyName CREDENTIAL =
      ConfigurationPropertyName.of("iomt.azure.credential");

  /**
   * The references found.
   *
   * @param references setting name to reference, in the order of the property sources
   * @param problems references that cannot be parsed or may not be references, with their setting
   */
  record Scan(Map<String, KeyVaultReference> references, List<String> problems) {}

  private KeyVaultReferences() {}

  static Scan scan(ConfigurableEnvironment environment) {
    Map<String, KeyVaultReference> references = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    Set<ConfigurationPropertyName> seen = new HashSet<>();
    for (PropertySource<?> source : environment.getPropertySources()) {
      if (!(source instanceof EnumerablePropertySource<?>)
          || ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
        continue;
      }
      if (!(ConfigurationPropertySource.from(source)
          instanceof IterableConfigurationPropertySource iterable)) {
        continue;
      }
      for (ConfigurationPropertyName name :
          (Iterable<ConfigurationPropertyName>) iterable::iterator) {
        if (!IOMT.isAncestorOf(name) || !seen.add(name)) {
          continue;
        }
        ConfigurationProperty property = iterable.getConfigurationProperty(name);
        Object value = property == null ? null : property.getValue();
        if (!(value instanceof CharSequence text)
            || !KeyVaultReference.isReference(text.toString())) {
          continue;
        }
        String setting = name.toString();
        if (CREDENTIAL.isAncestorOf(name)) {
          problems.add(
              setting
                  + ": cannot be a Key Vault reference: the shared credential is what reads the"
                  + " vault (set it directly, e.g. from a Kubernetes secret)");
          continue;
        }
        try {
          references.put(setting, KeyVaultReference.parse(text.toString()));
        } catch (IllegalArgumentException e) {
          problems.add(setting + ": not a valid Key Vault reference: " + e.getMessage());
        }
      }
    }
    return new Scan(references, problems);
  }

  /**
   * Replaces, in every property source, each value that is one of the resolved references by its
   * secret.
   *
   * @param references the references of {@link #scan}
   * @param secrets the values read; a setting missing from them keeps its reference
   */
  static void install(
      ConfigurableEnvironment environment,
      Map<String, KeyVaultReference> references,
      KeyVaultSecrets secrets) {
    Map<KeyVaultReference, String> values = new HashMap<>();
    references.forEach(
        (setting, reference) ->
            secrets.value(setting).ifPresent(v -> values.put(reference, v.reveal())));
    if (values.isEmpty()) {
      return;
    }
    for (PropertySource<?> source : List.copyOf(toList(environment))) {
      if (!(source instanceof EnumerablePropertySource<?> enumerable)
          || ConfigurationPropertySources.isAttachedConfigurationPropertySource(source)) {
        continue;
      }
      Map<String, String> replaced = new HashMap<>();
      for (String name : enumerable.getPropertyNames()) {
        String secret = secretFor(enumerable.getProperty(name), values);
        if (secret != null) {
          replaced.put(name, secret);
        }
      }
      if (replaced.isEmpty()) {
        continue;
      }
      environment.getPropertySources().replace(source.getName(), resolved(enumerable, replaced));
    }
  }

  private static List<PropertySource<?>> toList(ConfigurableEnvironment environment) {
    List<PropertySource<?>> list = new ArrayList<>();
    environment.getPropertySources().forEach(list::add);
    return list;
  }

  private static String secretFor(Object value, Map<KeyVaultReference, String> values) {
    if (!(value instanceof CharSequence text) || !KeyVaultReference.isReference(text.toString())) {
      return null;
    }
    try {
      return values.get(KeyVaultReference.parse(text.toString()));
    } catch (IllegalArgumentException e) {
      return null; // reported by the scan
    }
  }

  private static PropertySource<?> resolved(
      EnumerablePropertySource<?> source, Map<String, String> replaced) {
    if (source instanceof SystemEnvironmentPropertySource env) {
      Map<String, Object> copy = new LinkedHashMap<>(env.getSource());
      copy.putAll(replaced);
      return new SystemEnvironmentPropertySource(env.getName(), copy);
    }
    return new Resolved(source, replaced);
  }

  /** A property source with some values replaced; names and origins are the original's. */
  private static final class Resolved extends EnumerablePropertySource<EnumerablePropertySource<?>>
      implements OriginLookup<String> {
    private final Map<String, String> replaced;

    Resolved(EnumerablePropertySource<?> source, Map<String, String> replaced) {
      super(source.getName(), source);
      this.replaced = Map.copyOf(replaced);
    }

    @Override
    public String[] getPropertyNames() {
      return getSource().getPropertyNames();
    }

    @Override
    public Object getProperty(String name) {
      String secret = replaced.get(name);
      return secret != null ? secret : getSource().getProperty(name);
    }

    @Override
    public boolean containsProperty(String name) {
      return getSource().containsProperty(name);
    }

    @Override
    public Origin getOrigin(String name) {
      return OriginLookup.getOrigin(getSource(), name);
    }
  }
}
