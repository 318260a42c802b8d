package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import io.iomt.azure.keyvault.KeyVaultSecretResolver;
import io.iomt.testkit.azure.keyvault.FakeKeyVault;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;

/**
 * Key Vault references among the settings, in files and environment variables alike, resolved
 * against the HTTPS fake vault before the configuration is bound and checked (no Spring context).
 */
class KeyVaultReferencesIT {
  static final String EVENT_HUBS =
      "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=from-vault";
  static FakeKeyVault vault;
  static KeyVaultSecretResolver resolver;

  @BeforeAll
  static void start() {
    vault = new FakeKeyVault().start();
    resolver = resolverFor(vault);
  }

  @AfterAll
  static void stop() {
    vault.close();
  }

  static KeyVaultSecretResolver resolverFor(FakeKeyVault v) {
    return KeyVaultSecretResolver.builder(v.credential())
        .httpClient(v.httpClient())
        .vaultUrls(name -> v.vaultUrl())
        .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ZERO)))
        .disableChallengeResourceVerification()
        .build();
  }

  static String reference(FakeKeyVault v, String secret) {
    return "@Microsoft.KeyVault(SecretUri=" + v.vaultUrl() + "/secrets/" + secret + ")";
  }

  @Test
  void referencesInAFileAndInEnvironmentVariablesBecomeTheirSecrets() {
    vault.putSecret("file-key", EVENT_HUBS);
    vault.putSecret("env-key", "key-from-the-vault-0002");
    vault.putSecret("fhir-token", "fhir-token-from-the-vault");
    Map<String, Object> file = ServiceConfigurationTest.validFile();
    file.remove("iomt.ingest.api-keys[0]");
    file.put("iomt.kafka.event-hubs-connection-string", reference(vault, "file-key"));
    file.put("iomt.connectors.ward-a.fhir.auth.type", "bearer");
    file.put(
        "iomt.connectors.ward-a.fhir.auth.token",
        "@Microsoft.KeyVault(VaultName=myvault;SecretName=fhir-token)");
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("IOMT_INGEST_API_KEYS_0", "plain-key-0123456789");
    variables.put("IOMT_INGEST_API_KEYS_1", reference(vault, "env-key"));
    StandardEnvironment env = ServiceConfigurationTest.environment(file, variables);

    ServiceConfiguration config = ServiceConfiguration.from(env, Clock.systemUTC(), resolver);

    assertThat(config.properties().getIngest().getApiKeys())
        .containsExactly("plain-key-0123456789", "key-from-the-vault-0002");
    assertThat(config.properties().getKafka().getEventHubsConnectionString()).isEqualTo(EVENT_HUBS);
    assertThat(config.properties().getConnectors().get("ward-a").getFhir().getAuth().getToken())
        .isEqualTo("fhir-token-from-the-vault");
    assertThat(config.keyVaultSecrets().settings())
        .containsExactly(
            "iomt.connectors.ward-a.fhir.auth.token",
            "iomt.ingest.api.keys[1]",
            "iomt.kafka.event-hubs-connection-string");
  }

  @Test
  void aListedElementNextToAReferencedOneKeepsItsValue() {
    vault.putSecret("second-key", "key-from-the-vault-0003");
    Map<String, Object> file = ServiceConfigurationTest.validFile();
    file.put("iomt.ingest.api-keys[1]", reference(vault, "second-key"));

    ServiceConfiguration config =
        ServiceConfiguration.from(
            ServiceConfigurationTest.environment(file, Map.of()), Clock.systemUTC(), resolver);

    assertThat(config.properties().getIngest().getApiKeys())
        .containsExactly("0123456789abcdef0123", "key-from-the-vault-0003");
  }

  @Test
  void unreadableAndMalformedReferencesAreProblemsNamingSettingVaultAndSecretWithOtherProblems() {
    vault.putSecret("denied-secret", "never-shown-value-123");
    Map<String, Object> file = ServiceConfigurationTest.validFile();
    file.put("iomt.ingest.api-keys[0]", reference(vault, "no-such-key"));
    file.put("iomt.kafka.event-hubs-connection-string", "@Microsoft.KeyVault(VaultName=x)");
    file.put("iomt.azure.credential.client-secret", reference(vault, "denied-secret"));
    file.put("iomt.connectors.ward-a.partitions", "0");

    InvalidConfigurationException e =
        catchThrowableOfType(
            InvalidConfigurationException.class,
            () ->
                ServiceConfiguration.from(
                    ServiceConfigurationTest.environment(file, Map.of()),
                    Clock.systemUTC(),
                    resolver));

    String host = vault.vaultUrl().getAuthority();
    assertThat(e.problems())
        .contains(
            "iomt.ingest.api-keys[0]: secret 'no-such-key' in vault '"
                + host
                + "' was not found (SecretNotFound); check the name and version",
            "iomt.kafka.event-hubs-connection-string: not a valid Key Vault reference: a Key"
                + " Vault reference has SecretUri=..., or VaultName=...;SecretName=...[;"
                + "SecretVersion=...]",
            "iomt.azure.credential.client-secret: cannot be a Key Vault reference: the shared"
                + " credential is what reads the vault (set it directly, e.g. from a Kubernetes"
                + " secret)",
            "iomt.connectors.ward-a.partitions: must be at least 1, got 0");
    assertThat(e.getMessage()).doesNotContain("never-shown-value-123");
  }

  @Test
  void aValueFromKeyVaultIsNeverShownEvenWhenItsSettingsNameDoesNotLookSecret() {
    vault.putSecret("not-a-duration", "banana-from-the-vault");
    Map<String, Object> file = ServiceConfigurationTest.validFile();
    file.put("iomt.connectors.ward-a.flush.max-age", reference(vault, "not-a-duration"));

    InvalidConfigurationException e =
        catchThrowableOfType(
            InvalidConfigurationException.class,
            () ->
                ServiceConfiguration.from(
                    ServiceConfigurationTest.environment(file, Map.of()),
                    Clock.systemUTC(),
                    resolver));

    assertThat(e.problems())
        .singleElement()
        .asString()
        .startsWith(
            "iomt.connectors.ward-a.flush.max-age: the value (not shown: the setting holds a"
                + " secret) is not a duration");
    assertThat(e.getMessage()).doesNotContain("banana-from-the-vault");
  }

  @Test
  void deniedAccessIsAProblemNamingSettingVaultAndSecret() {
    vault.putSecret("guarded-key", "guarded-value-0123456");
    Map<String, Object> file = ServiceConfigurationTest.validFile();
    file.put("iomt.ingest.api-keys[0]", reference(vault, "guarded-key"));
    vault.denyAccess();
    try {
      InvalidConfigurationException e =
          catchThrowableOfType(
              InvalidConfigurationException.class,
              () ->
                  ServiceConfiguration.from(
                      ServiceConfigurationTest.environment(file, Map.of()),
                      Clock.systemUTC(),
                      resolver));

      assertThat(e.problems())
          .singleElement()
          .asString()
          .startsWith(
              "iomt.ingest.api-keys[0]: secret 'guarded-key' in vault '"
                  + vault.vaultUrl().getAuthority()
                  + "' could not be read: access refused (403 Forbidden)");
      assertThat(e.getMessage()).doesNotContain("guarded-value-0123456");
    } finally {
      vault.allowAccess();
    }
  }

  @Test
  void referencesWithoutASharedCredentialOrResolverAreOneProblemNamingThem() {
    Map<String, Object> file = ServiceConfigurationTest.validFile();
    file.put("iomt.ingest.api-keys[0]", reference(vault, "anything"));

    InvalidConfigurationException e =
        catchThrowableOfType(
            InvalidConfigurationException.class,
            () ->
                ServiceConfiguration.from(
                    ServiceConfigurationTest.environment(file, Map.of()), Clock.systemUTC()));

    assertThat(e.problems())
        .containsExactly(
            "iomt.ingest.api-keys[0]: Key Vault references need the shared Azure credential, and"
                + " none is configured (set iomt.azure.credential.type, docs/configuration.md)");
  }
}
