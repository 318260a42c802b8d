package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.azure.AzureIdentityTokenProvider;
import io.iomt.fhir.auth.OAuth2ClientCredentials;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The service builds FHIR auth through the shared factory, with iomt-azure on its class path. */
class ServiceFhirAuthTest {

  private static IomtProperties.Auth auth(IomtProperties p) {
    return p.getConnectors().get("ward-a").getFhir().getAuth();
  }

  @Test
  void anAzureManagedIdentityBuildsBecauseTheServiceShipsIomtAzure() {
    IomtProperties p = ServiceConfigurationTest.valid();
    auth(p).setType("azure-managed-identity");

    ServiceConfiguration config = ServiceConfiguration.from(p, Clock.systemUTC());

    assertThat(config.connectors().get(0).destination().tokens())
        .isInstanceOf(AzureIdentityTokenProvider.class);
  }

  @Test
  void oauth2ClientCredentialsBuildFromTheDocumentedProperties() {
    IomtProperties p = ServiceConfigurationTest.valid();
    auth(p).setType("oauth2");
    auth(p).setTokenUrl("https://login.example.org/tenant/oauth2/v2.0/token");
    auth(p).setClientId("connector");
    auth(p).setClientSecret("s3cr3t-value");
    auth(p).setScope("http://localhost:8080/fhir/.default");

    ServiceConfiguration config = ServiceConfiguration.from(p, Clock.systemUTC());

    assertThat(config.connectors().get(0).destination().tokens())
        .isInstanceOf(OAuth2ClientCredentials.class);
  }

  @Test
  void aTokenUrlThatIsNotAUrlIsAListedProblemInsteadOfAStartUpCrash() {
    IomtProperties p = ServiceConfigurationTest.valid();
    auth(p).setType("oauth2");
    auth(p).setTokenUrl("not a url");
    auth(p).setClientId("connector");
    auth(p).setClientSecret("s3cr3t-value");
    auth(p).setScope("fhir");

    InvalidConfigurationException e = ServiceConfigurationTest.problems(p);

    assertThat(e.problems())
        .containsExactly(
            "iomt.connectors.ward-a.fhir.auth.token-url: 'not a url' is not an http(s) URL");
    assertThat(e.getMessage()).doesNotContain("s3cr3t-value");
  }
}
