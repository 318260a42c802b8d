package io.iomt.fhir.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared FHIR auth factory: checking options, building providers, finding Azure support. */
class FhirAuthTest {
  private static final SettingPaths AT = SettingPaths.under("iomt.connectors.icu.fhir.auth");
  private static final URI FHIR = URI.create("https://ws-fhir.fhir.azurehealthcareapis.com");

  private static FhirAuthOptions options(
      String type, String token, String tokenUrl, String clientId, String secret, String scope) {
    return options(type, token, tokenUrl, clientId, secret, scope, null);
  }

  private static FhirAuthOptions options(
      String type,
      String token,
      String tokenUrl,
      String clientId,
      String secret,
      String scope,
      String tenantId) {
    return new FhirAuthOptions(
        type,
        token == null ? null : Secret.of(token),
        tokenUrl,
        clientId,
        secret == null ? null : Secret.of(secret),
        scope,
        tenantId);
  }

  private static List<String> problems(FhirAuthOptions options) {
    return FhirAuth.settings(options, AT).problems().stream().map(Object::toString).toList();
  }

  private static FhirAuthSettings valid(FhirAuthOptions options) {
    Validated<FhirAuthSettings> settings = FhirAuth.settings(options, AT);
    assertThat(settings.problems()).isEmpty();
    return ((Validated.Valid<FhirAuthSettings>) settings).value();
  }

  @Test
  void everyProblemOfAnOAuth2SettingIsListedWithItsPathAndNoSecretValue() {
    List<String> problems =
        problems(options("oauth2", null, "ftp://user:pw-9@login.example", null, "s3cr3t", " "));

    assertThat(problems)
        .containsExactly(
            "iomt.connectors.icu.fhir.auth.token-url: 'ftp://login.example' is not an http(s) URL",
            "iomt.connectors.icu.fhir.auth.client-id: required for this auth type",
            "iomt.connectors.icu.fhir.auth.scope: required for this auth type");
    assertThat(String.join("\n", problems)).doesNotContain("s3cr3t", "pw-9");
  }

  @Test
  void eachAzureCredentialAsksForWhatItNeeds() {
    assertThat(problems(options("azure-client-secret", null, null, null, null, null)))
        .containsExactly(
            "iomt.connectors.icu.fhir.auth.tenant-id: required for this auth type",
            "iomt.connectors.icu.fhir.auth.client-id: required for this auth type",
            "iomt.connectors.icu.fhir.auth.client-secret: required for this auth type");
    assertThat(problems(options("azure-workload-identity", null, null, null, "x", null)))
        .containsExactly(
            "iomt.connectors.icu.fhir.auth.tenant-id: required for this auth type",
            "iomt.connectors.icu.fhir.auth.client-id: required for this auth type");
    assertThat(problems(options("azure-managed-identity", null, null, null, null, null))).isEmpty();
    assertThat(problems(options("azure-default", null, null, null, null, null))).isEmpty();
  }

  @Test
  void aBlankSecretCountsAsMissing() {
    assertThat(problems(options("bearer", "  ", null, null, null, null)))
        .containsExactly("iomt.connectors.icu.fhir.auth.token: required for this auth type");
  }

  @Test
  void anUnknownTypeNamesEveryTypeThereIs() {
    assertThat(problems(options("kerberos", null, null, null, null, null)))
        .containsExactly(
            "iomt.connectors.icu.fhir.auth.type: 'kerberos' is not one of none, bearer, oauth2,"
                + " azure, azure-managed-identity, azure-client-secret, azure-workload-identity,"
                + " azure-default, azure-cli");
  }

  @Test
  void validOptionsBecomeTypedSettingsThatPrintNoSecret() {
    assertThat(valid(FhirAuthOptions.NONE)).isEqualTo(new FhirAuthSettings.None());
    assertThat(valid(options(null, null, null, null, null, null)))
        .isEqualTo(new FhirAuthSettings.None());
    assertThat(valid(options("bearer", "tok-1", null, null, null, null)))
        .isEqualTo(new FhirAuthSettings.StaticToken(Secret.of("tok-1")));
    FhirAuthSettings oauth2 =
        valid(
            options(
                " OAuth2 ", null, "https://login.example/token", "connector", "s3cr3t", "fhir"));
    assertThat(oauth2)
        .isEqualTo(
            new FhirAuthSettings.OAuth2(
                URI.create("https://login.example/token"),
                "connector",
                Secret.of("s3cr3t"),
                "fhir"));
    assertThat(oauth2.toString()).doesNotContain("s3cr3t");
    assertThat(oauth2.type()).isEqualTo("oauth2");
    assertThat(valid(options("azure-managed-identity", null, null, "uami-1", null, null)))
        .isEqualTo(
            new FhirAuthSettings.Azure(
                FhirAuthSettings.Azure.Credential.MANAGED_IDENTITY, null, "uami-1", null));
    FhirAuthSettings clientSecret =
        valid(options("azure-client-secret", null, null, "app-1", "s3cr3t", null, "tenant-1"));
    assertThat(clientSecret.type()).isEqualTo("azure-client-secret");
    assertThat(clientSecret.toString()).doesNotContain("s3cr3t");
    assertThat(options("bearer", "tok-1", null, null, "s3cr3t", null).toString())
        .doesNotContain("tok-1", "s3cr3t");
  }

  @Test
  void noneAndABearerTokenAndOAuth2BuildTheirProviders() {
    FhirAuth auth = FhirAuth.onClasspath();
    assertThat(token(auth, FhirAuthOptions.NONE)).isEmpty();
    assertThat(token(auth, options("bearer", "tok-1", null, null, null, null))).contains("tok-1");
    Validated<TokenProvider> oauth2 =
        auth.tokenProvider(
            options("oauth2", null, "https://login.example/token", "c", "s", "fhir"),
            FHIR,
            Clock.systemUTC(),
            AT);
    assertThat(((Validated.Valid<TokenProvider>) oauth2).value())
        .as("built without fetching a token")
        .isInstanceOf(OAuth2ClientCredentials.class);
  }

  private static Optional<String> token(FhirAuth auth, FhirAuthOptions options) {
    Validated<TokenProvider> tokens = auth.tokenProvider(options, FHIR, Clock.systemUTC(), AT);
    return ((Validated.Valid<TokenProvider>) tokens).value().token();
  }

  @Test
  void withoutIomtAzureOnTheClassPathAnAzureSettingIsAClearConfigurationProblem() {
    FhirAuth auth = FhirAuth.onClasspath();
    assertThat(auth.azureAvailable()).isFalse();

    Validated<TokenProvider> tokens =
        auth.tokenProvider(
            options("azure-managed-identity", null, null, null, null, null),
            FHIR,
            Clock.systemUTC(),
            AT);

    assertThat(tokens.problems())
        .extracting(Object::toString)
        .containsExactly(
            "iomt.connectors.icu.fhir.auth.type: auth kind 'azure' needs the iomt-azure module on"
                + " the classpath; the service has it, the CLI does not");
    assertThat(
            auth.tokenProvider(
                    options("azure-client-secret", null, null, null, null, null),
                    FHIR,
                    Clock.systemUTC(),
                    AT)
                .problems())
        .as("missing tenant, client and secret would not help without iomt-azure")
        .extracting(SettingProblem::path)
        .containsExactly("iomt.connectors.icu.fhir.auth.type");
  }

  @Test
  void anAzureProviderOnTheClassPathIsFoundAndUsed(@TempDir Path dir) throws IOException {
    try (URLClassLoader plugins = pluginLoader(dir, FakeAzure.class)) {
      FhirAuth auth = FhirAuth.withPlugins(plugins);
      assertThat(auth.azureAvailable()).isTrue();

      Validated<TokenProvider> tokens =
          auth.tokenProvider(
              options("azure-workload-identity", null, null, "app-1", null, null, "tenant-1"),
              FHIR,
              Clock.systemUTC(),
              AT);

      assertThat(((Validated.Valid<TokenProvider>) tokens).value().token())
          .contains("WORKLOAD_IDENTITY tenant-1 app-1 for " + FHIR);
    }
  }

  @Test
  void aSettingTheAzureProviderRefusesIsAProblemOnTheTypeWithTheSecretMasked(@TempDir Path dir)
      throws IOException {
    try (URLClassLoader plugins = pluginLoader(dir, FakeAzure.class)) {
      Validated<TokenProvider> tokens =
          FhirAuth.withPlugins(plugins)
              .tokenProvider(
                  options("azure-client-secret", null, null, "app-1", "s3cr3t", null, "bad!"),
                  FHIR,
                  Clock.systemUTC(),
                  AT);

      assertThat(tokens.problems())
          .extracting(Object::toString)
          .containsExactly(
              "iomt.connectors.icu.fhir.auth.type: Azure identity refused the settings"
                  + " (IllegalArgumentException: tenant 'bad!' is invalid for secret ******)");
    }
  }

  /** A class loader that offers {@code provider} through a {@code META-INF/services} file. */
  private static URLClassLoader pluginLoader(Path dir, Class<?> provider) throws IOException {
    Path services = Files.createDirectories(dir.resolve("META-INF/services"));
    Files.writeString(
        services.resolve(AzureAuthProvider.class.getName()), provider.getName() + "\n");
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, FhirAuthTest.class.getClassLoader());
  }

  /** Stands in for iomt-azure: echoes the settings, refuses a tenant with a '!'. */
  public static final class FakeAzure implements AzureAuthProvider {
    @Override
    public TokenProvider tokenProvider(FhirAuthSettings.Azure settings, URI fhirUrl, Clock clock) {
      if (settings.tenantId() != null && settings.tenantId().contains("!")) {
        throw new IllegalArgumentException(
            "tenant '"
                + settings.tenantId()
                + "' is invalid for secret "
                + settings.clientSecret().reveal());
      }
      String token =
          settings.credential()
              + " "
              + settings.tenantId()
              + " "
              + settings.clientId()
              + " for "
              + fhirUrl;
      return () -> Optional.of(token);
    }
  }
}
