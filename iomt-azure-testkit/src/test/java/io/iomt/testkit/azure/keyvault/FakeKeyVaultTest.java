package io.iomt.testkit.azure.keyvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real SDK's SecretClient reads from the fake as it would from Key Vault. */
class FakeKeyVaultTest {
  static FakeKeyVault vault;
  static SecretClient client;

  @BeforeAll
  static void start() {
    vault = new FakeKeyVault().start();
    client =
        new SecretClientBuilder()
            .vaultUrl(vault.vaultUrl().toString())
            .credential(vault.credential())
            .httpClient(vault.httpClient())
            .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ZERO)))
            .disableChallengeResourceVerification()
            .buildClient();
  }

  @AfterAll
  static void stop() {
    vault.close();
  }

  @Test
  void theSdkAnswersTheBearerChallengeAndReadsTheLatestVersion() {
    String first = vault.putSecret("api-key", "first-value");
    String second = vault.putSecret("api-key", "second \"quoted\" value");

    KeyVaultSecret latest = client.getSecret("api-key");
    KeyVaultSecret older = client.getSecret("api-key", first);

    assertThat(latest.getValue()).isEqualTo("second \"quoted\" value");
    assertThat(latest.getProperties().getVersion()).isEqualTo(second);
    assertThat(latest.getProperties().getName()).isEqualTo("api-key");
    assertThat(older.getValue()).isEqualTo("first-value");
    assertThat(vault.tokenScopes())
        .isNotEmpty()
        .allMatch("https://vault.azure.net/.default"::equals);
  }

  @Test
  void anUnknownSecretIsKeyVaults404SecretNotFound() {
    assertThatThrownBy(() -> client.getSecret("no-such-secret"))
        .isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("SecretNotFound")
        .satisfies(
            e ->
                assertThat(((HttpResponseException) e).getResponse().getStatusCode())
                    .isEqualTo(404));
  }

  @Test
  void revokedAccessIs403UntilAllowedAgain() {
    vault.putSecret("guarded", "v");
    vault.denyAccess();
    try {
      assertThatThrownBy(() -> client.getSecret("guarded"))
          .isInstanceOf(HttpResponseException.class)
          .hasMessageContaining("Forbidden")
          .satisfies(
              e ->
                  assertThat(((HttpResponseException) e).getResponse().getStatusCode())
                      .isEqualTo(403));
    } finally {
      vault.allowAccess();
    }
    assertThat(client.getSecret("guarded").getValue()).isEqualTo("v");
  }

  @Test
  void everyRequestIsCountedChallengesIncluded() {
    vault.putSecret("counted", "v");
    int before = vault.requestCount();
    int readsBefore = vault.secretReadCount();

    client.getSecret("counted");

    assertThat(vault.secretReadCount() - readsBefore).isEqualTo(1);
    assertThat(vault.requestCount() - before).isGreaterThanOrEqualTo(1);
  }
}
