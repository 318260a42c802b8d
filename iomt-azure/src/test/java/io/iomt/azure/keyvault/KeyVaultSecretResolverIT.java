package io.iomt.azure.keyvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import io.iomt.testkit.azure.keyvault.FakeKeyVault;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The resolver with the real SecretClient against the HTTPS Key Vault fake. */
class KeyVaultSecretResolverIT {
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
        .vaultUrls(name -> name.equals("myvault") ? v.vaultUrl() : URI.create("https://unknown"))
        .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ZERO)))
        .disableChallengeResourceVerification()
        .build();
  }

  private static KeyVaultReference uri(String rest) {
    return KeyVaultReference.parse(
        "@Microsoft.KeyVault(SecretUri=" + vault.vaultUrl() + "/secrets/" + rest + ")");
  }

  @Test
  void bothSyntaxesResolveToTheLatestValue() {
    vault.putSecret("ingest-key", "old-key-value-000");
    String latest = vault.putSecret("ingest-key", "new-key-value-111");

    KeyVaultSecretResolver.ResolvedSecret byUri = resolver.resolve("a", uri("ingest-key"));
    KeyVaultSecretResolver.ResolvedSecret byName =
        resolver.resolve(
            "b",
            KeyVaultReference.parse(
                "@Microsoft.KeyVault(VaultName=myvault;SecretName=ingest-key)"));

    assertThat(byUri.value().reveal()).isEqualTo("new-key-value-111");
    assertThat(byUri.version()).isEqualTo(latest);
    assertThat(byName).isEqualTo(byUri);
  }

  @Test
  void aPinnedVersionResolvesThatVersionInBothSyntaxes() {
    String first = vault.putSecret("pinned", "first-value");
    vault.putSecret("pinned", "second-value");

    assertThat(resolver.resolve("a", uri("pinned/" + first)).value().reveal())
        .isEqualTo("first-value");
    assertThat(
            resolver
                .resolve(
                    "b",
                    KeyVaultReference.parse(
                        "@Microsoft.KeyVault(VaultName=myvault;SecretName=pinned;SecretVersion="
                            + first
                            + ")"))
                .value()
                .reveal())
        .isEqualTo("first-value");
  }

  @Test
  void aRefreshPicksUpANewVersionAndLeavesPinnedVersionsAlone() {
    String first = vault.putSecret("rotating", "value-one");
    Map<String, KeyVaultReference> refs = new LinkedHashMap<>();
    refs.put("iomt.ingest.api-keys[0]", uri("rotating"));
    refs.put("iomt.other.client-secret", uri("rotating/" + first));
    KeyVaultSecrets.Resolution resolution = KeyVaultSecrets.resolve(resolver, refs);
    assertThat(resolution.failures()).isEmpty();
    KeyVaultSecrets secrets = resolution.secrets();
    var apiKey = secrets.current("iomt.ingest.api-keys[0]", "bound");
    var envForm = secrets.current("iomt.ingest.api.keys[0]", "bound");
    var pinned = secrets.current("iomt.other.client-secret", "bound");
    assertThat(apiKey.get()).isEqualTo("value-one");

    vault.putSecret("rotating", "value-two");
    KeyVaultSecrets.Refresh refresh = secrets.refresh();

    assertThat(refresh.changed()).containsExactly("iomt.ingest.api-keys[0]");
    assertThat(refresh.failures()).isEmpty();
    assertThat(apiKey.get()).isEqualTo("value-two");
    assertThat(envForm.get()).isEqualTo("value-two");
    assertThat(pinned.get()).isEqualTo("value-one");
    assertThat(secrets.current("iomt.not.referenced", "bound").get()).isEqualTo("bound");
    assertThat(secrets.refresh().changed()).isEmpty();
  }

  @Test
  void aMissingSecretNamesSettingVaultAndSecretButNoValue() {
    vault.putSecret("present", "the-present-value");

    KeyVaultSecretException e =
        catchThrowableOfType(
            KeyVaultSecretException.class,
            () -> resolver.resolve("iomt.ingest.api-keys[0]", uri("absent")));

    assertThat(e.reason()).isEqualTo(KeyVaultSecretException.Reason.NOT_FOUND);
    assertThat(e.getMessage())
        .isEqualTo(
            "iomt.ingest.api-keys[0]: secret 'absent' in vault '"
                + vault.vaultUrl().getAuthority()
                + "' was not found (SecretNotFound); check the name and version");
  }

  @Test
  void deniedAccessNamesSettingVaultAndSecretAndKeepsTheLastValueOnRefresh() {
    vault.putSecret("guarded", "guarded-value-123");
    KeyVaultSecrets secrets =
        KeyVaultSecrets.resolve(resolver, Map.of("iomt.x.client-secret", uri("guarded"))).secrets();
    vault.denyAccess();
    try {
      KeyVaultSecretException e =
          catchThrowableOfType(
              KeyVaultSecretException.class,
              () -> resolver.resolve("iomt.x.client-secret", uri("guarded")));
      KeyVaultSecrets.Refresh refresh = secrets.refresh();

      assertThat(e.reason()).isEqualTo(KeyVaultSecretException.Reason.ACCESS_DENIED);
      assertThat(e.getMessage())
          .startsWith(
              "iomt.x.client-secret: secret 'guarded' in vault '"
                  + vault.vaultUrl().getAuthority()
                  + "' could not be read: access refused (403 Forbidden)")
          .doesNotContain("guarded-value-123");
      assertThat(refresh.failures())
          .extracting(KeyVaultSecretException::setting)
          .containsExactly("iomt.x.client-secret");
      assertThat(secrets.value("iomt.x.client-secret").orElseThrow().reveal())
          .isEqualTo("guarded-value-123");
    } finally {
      vault.allowAccess();
    }
  }

  @Test
  void anUnreachableVaultIsNamedWithItsUrl() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    KeyVaultReference r =
        KeyVaultReference.parse(
            "@Microsoft.KeyVault(SecretUri=https://127.0.0.1:" + closedPort + "/secrets/s)");

    KeyVaultSecretException e =
        catchThrowableOfType(KeyVaultSecretException.class, () -> resolver.resolve("iomt.y", r));

    assertThat(e.reason()).isEqualTo(KeyVaultSecretException.Reason.UNREACHABLE);
    assertThat(e.getMessage())
        .startsWith(
            "iomt.y: secret 's' in vault '127.0.0.1:"
                + closedPort
                + "' could not be read: https://127.0.0.1:"
                + closedPort
                + " did not answer (");
  }

  @Test
  void resolvedValuesPrintMasked() {
    vault.putSecret("masked", "masked-value-456");
    KeyVaultSecretResolver.ResolvedSecret s = resolver.resolve("a", uri("masked"));
    KeyVaultSecrets secrets =
        KeyVaultSecrets.resolve(resolver, Map.of("a", uri("masked"))).secrets();

    assertThat(s.toString()).doesNotContain("masked-value-456");
    assertThat(secrets.toString()).isEqualTo("KeyVaultSecrets[a]");
  }
}
