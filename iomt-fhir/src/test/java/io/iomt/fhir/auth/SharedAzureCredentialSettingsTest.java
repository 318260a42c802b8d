package io.iomt.fhir.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The shared Azure credential ({@code iomt.azure.credential.*}) is checked like FHIR auth: every
 * problem with its path, secrets never shown; FHIR auth type {@code azure} uses it.
 */
class SharedAzureCredentialSettingsTest {
  private static final SettingPaths AT = SettingPaths.under("iomt.azure.credential");
  private static final URI FHIR = URI.create("https://ws-fhir.fhir.azurehealthcareapis.com");

  private static Validated<Optional<FhirAuthSettings.Azure>> check(
      String type, String tenant, String client, String secret) {
    return FhirAuth.azureCredential(
        new AzureCredentialOptions(type, tenant, client, secret == null ? null : Secret.of(secret)),
        AT);
  }

  private static List<String> problems(String type, String tenant, String client, String secret) {
    return check(type, tenant, client, secret).problems().stream().map(Object::toString).toList();
  }

  private static Optional<FhirAuthSettings.Azure> valid(
      String type, String tenant, String client, String secret) {
    Validated<Optional<FhirAuthSettings.Azure>> v = check(type, tenant, client, secret);
    assertThat(v.problems()).isEmpty();
    return ((Validated.Valid<Optional<FhirAuthSettings.Azure>>) v).value();
  }

  @Test
  void noTypeAndNoOtherSettingMeansNoSharedCredential() {
    assertThat(valid(null, null, null, null)).isEmpty();
    assertThat(valid("  ", "", null, null)).isEmpty();
  }

  @Test
  void everyMissingSettingOfAClientSecretIsListedWithItsPath() {
    assertThat(problems("client-secret", null, " ", null))
        .containsExactly(
            "iomt.azure.credential.tenant-id: required for this credential type",
            "iomt.azure.credential.client-id: required for this credential type",
            "iomt.azure.credential.client-secret: required for this credential type");
    assertThat(problems("workload-identity", "t", null, null))
        .containsExactly("iomt.azure.credential.client-id: required for this credential type");
  }

  @Test
  void anUnknownTypeNamesTheFiveThereAre() {
    assertThat(problems("azure-managed-identity", null, null, null))
        .containsExactly(
            "iomt.azure.credential.type: 'azure-managed-identity' is not one of managed-identity,"
                + " workload-identity, client-secret, azure-cli, default");
  }

  @Test
  void settingsWithoutATypeAreProblemsThatNeverShowTheSecret() {
    List<String> problems = problems(null, "tenant", null, "s3cr3t-value");

    assertThat(problems)
        .containsExactly(
            "iomt.azure.credential.type: missing (one of managed-identity, workload-identity,"
                + " client-secret, azure-cli, default)",
            "iomt.azure.credential.tenant-id: set, but no type is",
            "iomt.azure.credential.client-secret: set, but no type is");
    assertThat(String.join("\n", problems)).doesNotContain("s3cr3t-value");
  }

  @Test
  void validSettingsBecomeTheCheckedAzureRecordThatPrintsNoSecret() {
    FhirAuthSettings.Azure secret = valid(" Client-Secret ", "t-1", "c-1", "s3cr3t").orElseThrow();
    assertThat(secret)
        .isEqualTo(
            new FhirAuthSettings.Azure(
                FhirAuthSettings.Azure.Credential.CLIENT_SECRET,
                "t-1",
                "c-1",
                Secret.of("s3cr3t")));
    assertThat(secret.toString()).doesNotContain("s3cr3t");
    assertThat(valid("managed-identity", null, "uai", null).orElseThrow().clientId())
        .isEqualTo("uai");
    assertThat(valid("azure-cli", "t-2", "ignored", null).orElseThrow())
        .isEqualTo(
            new FhirAuthSettings.Azure(
                FhirAuthSettings.Azure.Credential.AZURE_CLI, "t-2", null, null));
    assertThat(valid("default", null, null, null).orElseThrow().credential())
        .isEqualTo(FhirAuthSettings.Azure.Credential.DEFAULT);
  }

  @Test
  void fhirAuthTypeAzureUsesTheSharedCredentialWhenThereIsOne() {
    FhirAuthOptions azure = new FhirAuthOptions("azure", null, null, null, null, null, null);
    SettingPaths fhir = SettingPaths.under("iomt.connectors.icu.fhir.auth");
    TokenProvider shared = TokenProvider.staticToken(Secret.of("from-the-shared-credential"));

    Validated<TokenProvider> without =
        FhirAuth.onClasspath().tokenProvider(azure, FHIR, Clock.systemUTC(), fhir);
    Validated<TokenProvider> with =
        FhirAuth.onClasspath()
            .withSharedAzureCredential((url, clock) -> shared)
            .tokenProvider(azure, FHIR, Clock.systemUTC(), fhir);

    assertThat(FhirAuth.settings(azure, fhir).problems()).isEmpty();
    assertThat(without.problems())
        .extracting(Object::toString)
        .containsExactly("iomt.connectors.icu.fhir.auth.type: " + FhirAuth.NEEDS_IOMT_AZURE);
    assertThat(((Validated.Valid<TokenProvider>) with).value()).isSameAs(shared);
  }

  @Test
  void withoutASharedCredentialOrIomtAzureTypeAzureSaysThatModuleIsMissing() {
    FhirAuthOptions azure = new FhirAuthOptions("azure", null, null, null, null, null, null);
    SettingPaths cli = setting -> "--fhir-auth";

    Validated<TokenProvider> built =
        FhirAuth.onClasspath().tokenProvider(azure, FHIR, Clock.systemUTC(), cli);

    assertThat(built.problems())
        .extracting(Object::toString)
        .containsExactly("--fhir-auth: " + FhirAuth.NEEDS_IOMT_AZURE);
  }
}
