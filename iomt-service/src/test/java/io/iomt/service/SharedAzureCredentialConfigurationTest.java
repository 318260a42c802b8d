package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.azure.AzureIdentityTokenProvider;
import io.iomt.fhir.auth.FhirAuthSettings;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** {@code iomt.azure.credential.*}: checked with every problem listed, secrets never shown. */
class SharedAzureCredentialConfigurationTest {

  private static IomtProperties.Credential credential(IomtProperties p) {
    return p.getAzure().getCredential();
  }

  @Test
  void withoutSettingsThereIsNoSharedCredential() {
    ServiceConfiguration config =
        ServiceConfiguration.from(ServiceConfigurationTest.valid(), Clock.systemUTC());

    assertThat(config.azureCredential().isConfigured()).isFalse();
    assertThat(config.keyVaultSecrets().settings()).isEmpty();
  }

  @Test
  void everyProblemOfTheSharedCredentialIsListedWithItsPathAndNoSecret() {
    IomtProperties p = ServiceConfigurationTest.valid();
    credential(p).setType("client-secret");
    credential(p).setClientSecret("s3cr3t-credential-value");
    p.getAzure().getKeyVault().setRefreshInterval(java.time.Duration.ofSeconds(-1));

    InvalidConfigurationException e = ServiceConfigurationTest.problems(p);

    assertThat(e.problems())
        .containsExactly(
            "iomt.azure.credential.tenant-id: required for this credential type",
            "iomt.azure.credential.client-id: required for this credential type",
            "iomt.azure.key-vault.refresh-interval: must be 0 (never) or positive");
    assertThat(e.getMessage()).doesNotContain("s3cr3t-credential-value");
  }

  @Test
  void anUnknownTypeAndSettingsWithoutATypeAreProblems() {
    IomtProperties p = ServiceConfigurationTest.valid();
    credential(p).setType("kerberos");
    assertThat(ServiceConfigurationTest.problems(p).problems())
        .containsExactly(
            "iomt.azure.credential.type: 'kerberos' is not one of managed-identity,"
                + " workload-identity, client-secret, azure-cli, default");

    IomtProperties q = ServiceConfigurationTest.valid();
    credential(q).setClientSecret("s3cr3t-credential-value");
    InvalidConfigurationException e = ServiceConfigurationTest.problems(q);
    assertThat(e.problems())
        .containsExactly(
            "iomt.azure.credential.type: missing (one of managed-identity, workload-identity,"
                + " client-secret, azure-cli, default)",
            "iomt.azure.credential.client-secret: set, but no type is");
    assertThat(e.getMessage()).doesNotContain("s3cr3t-credential-value");
  }

  @Test
  void aValidCredentialIsTheSharedOneAndFhirAuthTypeAzureUsesIt() {
    IomtProperties p = ServiceConfigurationTest.valid();
    credential(p).setType("managed-identity");
    credential(p).setClientId("user-assigned-identity");
    p.getConnectors().get("ward-a").getFhir().getAuth().setType("azure");

    ServiceConfiguration config = ServiceConfiguration.from(p, Clock.systemUTC());

    assertThat(config.azureCredential().settings())
        .contains(
            new FhirAuthSettings.Azure(
                FhirAuthSettings.Azure.Credential.MANAGED_IDENTITY,
                null,
                "user-assigned-identity",
                null));
    assertThat(config.connectors().get(0).destination().tokens())
        .isInstanceOf(AzureIdentityTokenProvider.class);
  }

  @Test
  void fhirAuthTypeAzureWithoutASharedCredentialIsAProblemOnTheType() {
    IomtProperties p = ServiceConfigurationTest.valid();
    p.getConnectors().get("ward-a").getFhir().getAuth().setType("azure");

    assertThat(ServiceConfigurationTest.problems(p).problems())
        .containsExactly(
            "iomt.connectors.ward-a.fhir.auth.type: auth type 'azure' uses the shared Azure"
                + " credential, and none is configured (set iomt.azure.credential.type,"
                + " docs/configuration.md)");
  }
}
