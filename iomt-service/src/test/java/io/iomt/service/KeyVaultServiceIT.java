package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.iomt.azure.SharedAzureCredential;
import io.iomt.azure.keyvault.KeyVaultSecrets;
import io.iomt.testkit.azure.keyvault.FakeKeyVault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The service with its ingest API key in Key Vault (the HTTPS fake, read by the real SDK client):
 * the key is read at start-up, a rotated key is accepted after a refresh, and a secret that cannot
 * be read stops the start with a problem naming the setting and the vault. No FHIR server is
 * needed: ingest only appends to the embedded broker.
 */
@ExtendWith(OutputCaptureExtension.class)
class KeyVaultServiceIT {
  static final String FIRST_KEY = "vault-key-first-0123456789";
  static final String SECOND_KEY = "vault-key-second-0123456789";
  static final String MESSAGE = "{\"deviceId\":\"kv-device\",\"heartRate\":61}";
  static FakeKeyVault vault;

  @BeforeAll
  static void startVault() {
    vault = new FakeKeyVault().start();
  }

  @AfterAll
  static void stopVault() {
    vault.close();
  }

  /** Registers the resolver that trusts the fake, as ConfigurationCheck documents. */
  static Consumer<SpringApplicationBuilder> fakeVault() {
    return application ->
        application.initializers(
            context ->
                context
                    .getBeanFactory()
                    .registerSingleton(
                        ConfigurationCheck.KEY_VAULT_RESOLVER,
                        KeyVaultReferencesIT.resolverFor(vault)));
  }

  static Map<String, Object> properties(Path dir, String secret) {
    Map<String, Object> p = RunningService.defaults(dir, "http://127.0.0.1:9/fhir");
    p.put("iomt.ingest.api-keys[0]", KeyVaultReferencesIT.reference(vault, secret));
    p.put("iomt.azure.key-vault.refresh-interval", "1h");
    return p;
  }

  @Test
  void theIngestKeyComesFromKeyVaultAndARotatedKeyIsAcceptedAfterARefresh(@TempDir Path dir)
      throws Exception {
    vault.putSecret("ingest-key", FIRST_KEY);
    try (RunningService service =
        RunningService.start(properties(dir, "ingest-key"), fakeVault())) {
      assertThat(service.post("/ingest/test", MESSAGE, FIRST_KEY).statusCode()).isEqualTo(202);
      assertThat(service.post("/ingest/test", MESSAGE, RunningService.API_KEY).statusCode())
          .as("the key the reference replaced is no key")
          .isEqualTo(401);
      assertThat(service.bean(KeyVaultSecrets.class).settings())
          .containsExactly("iomt.ingest.api-keys[0]");
      assertThat(service.bean(SharedAzureCredential.class).isConfigured()).isFalse();

      vault.putSecret("ingest-key", SECOND_KEY);
      assertThat(service.post("/ingest/test", MESSAGE, SECOND_KEY).statusCode())
          .as("before the refresh")
          .isEqualTo(401);
      KeyVaultSecrets.Refresh refresh = service.bean(KeyVaultRefresh.class).refreshNow();

      assertThat(refresh.changed()).containsExactly("iomt.ingest.api-keys[0]");
      assertThat(service.post("/ingest/test", MESSAGE, SECOND_KEY).statusCode()).isEqualTo(202);
      assertThat(service.post("/ingest/test", MESSAGE, FIRST_KEY).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void aMissingSecretStopsTheStartWithAProblemNamingTheSettingAndTheVault(
      @TempDir Path dir, CapturedOutput output) throws Exception {
    vault.putSecret("some-other-secret", "never-shown-value-987");
    Map<String, Object> props = properties(dir, "missing-ingest-key");

    Throwable failure =
        catchThrowableOfType(Throwable.class, () -> RunningService.start(props, fakeVault()));

    Throwable cause = failure;
    while (cause != null && !(cause instanceof InvalidConfigurationException)) {
      cause = cause.getCause();
    }
    assertThat(cause).as("an InvalidConfigurationException in %s", failure).isNotNull();
    String problem =
        "iomt.ingest.api-keys[0]: secret 'missing-ingest-key' in vault '"
            + vault.vaultUrl().getAuthority()
            + "' was not found (SecretNotFound); check the name and version";
    assertThat(((InvalidConfigurationException) cause).problems()).containsExactly(problem);
    assertThat(output.getAll())
        .contains("APPLICATION FAILED TO START", problem)
        .doesNotContain("never-shown-value-987");
    assertThat(Files.exists(dir.resolve("kafka"))).as("nothing started").isFalse();
  }
}
