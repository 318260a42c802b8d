package io.iomt.azure;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.iomt.fhir.auth.FhirAuth;
import io.iomt.fhir.auth.FhirAuthOptions;
import io.iomt.fhir.auth.Secret;
import io.iomt.fhir.auth.SettingPaths;
import io.iomt.fhir.auth.TokenProvider;
import io.iomt.fhir.auth.Validated;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/**
 * With iomt-azure on the class path, iomt-fhir's shared factory finds this module's provider
 * through {@link java.util.ServiceLoader} and the {@code azure-*} auth types build. Building makes
 * no network call; tokens themselves are tested against fakes ({@link
 * AzureIdentityTokenProviderTest}).
 */
class AzureIdentityAuthProviderTest {
  private static final SettingPaths AT = SettingPaths.under("iomt.connectors.icu.fhir.auth");
  private static final URI FHIR = URI.create("https://ws-fhir.fhir.azurehealthcareapis.com/");
  private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  private static final String CLIENT = "0b1a4a6e-2f5c-4d7e-9a3b-6c8d1e2f3a4b";

  private static Validated<TokenProvider> build(
      String type, String tenant, String client, String secret) {
    return FhirAuth.onClasspath()
        .tokenProvider(
            new FhirAuthOptions(
                type, null, null, client, secret == null ? null : Secret.of(secret), null, tenant),
            FHIR,
            Clock.systemUTC(),
            AT);
  }

  @Test
  void theServiceLoaderFindsThisModulesProvider() {
    assertThat(FhirAuth.onClasspath().azureAvailable()).isTrue();
  }

  @Test
  void everyAzureCredentialKindBuildsAnAzureIdentityTokenProvider() {
    for (Validated<TokenProvider> built :
        List.of(
            build("azure-managed-identity", null, null, null),
            build("azure-managed-identity", null, CLIENT, null),
            build("azure-client-secret", TENANT, CLIENT, "s3cr3t"),
            build("azure-default", null, null, null))) {
      assertThat(built.problems()).isEmpty();
      assertThat(((Validated.Valid<TokenProvider>) built).value())
          .isInstanceOf(AzureIdentityTokenProvider.class);
    }
  }

  @Test
  void aTenantIdTheSdkRefusesIsAProblemOnTheTypeThatDoesNotShowTheSecret() {
    Validated<TokenProvider> built =
        build("azure-client-secret", "not a tenant!", CLIENT, "s3cr3t");

    assertThat(built.problems()).hasSize(1);
    assertThat(built.problems().get(0).path()).isEqualTo("iomt.connectors.icu.fhir.auth.type");
    assertThat(built.problems().get(0).message())
        .startsWith("Azure identity refused the settings (IllegalArgumentException: ")
        .doesNotContain("s3cr3t");
  }

  @Test
  void workloadIdentityOutsideAnAksPodIsAProblemThatSaysWhatIsMissing() {
    assumeThat(System.getenv("AZURE_FEDERATED_TOKEN_FILE")).as("not on an AKS pod").isNull();

    assertThat(build("azure-workload-identity", TENANT, CLIENT, null).problems())
        .extracting(Object::toString)
        .singleElement(as(InstanceOfAssertFactories.STRING))
        .startsWith(
            "iomt.connectors.icu.fhir.auth.type: Azure identity refused the settings"
                + " (IllegalArgumentException: workload identity needs the federated token file"
                + " that AKS workload identity names in AZURE_FEDERATED_TOKEN_FILE on the pod");
  }

  @Test
  void missingSettingsAreStillReportedBeforeTheSdkIsAsked() {
    assertThat(build("azure-workload-identity", null, null, null).problems())
        .extracting(Object::toString)
        .containsExactly(
            "iomt.connectors.icu.fhir.auth.tenant-id: required for this auth type",
            "iomt.connectors.icu.fhir.auth.client-id: required for this auth type");
  }
}
