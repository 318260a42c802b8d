package io.iomt.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventHubsListenerTest {

  @Test
  void itsTextNeverShowsTheConnectionString() {
    EventHubsListener listener = new EventHubsListener(9093, "Endpoint=sb://ns/;SharedAccessKey=k");

    assertThat(listener.toString()).doesNotContain("SharedAccessKey").contains("****");
  }

  @Test
  void theServerJaasConfigQuotesTheConnectionStringForUserConnectionString() {
    EventHubsListener listener = new EventHubsListener(9093, "Key=a\"b\\c;");

    assertThat(listener.serverJaasConfig())
        .isEqualTo(
            "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " user_$ConnectionString=\"Key=a\\\"b\\\\c;\";");
  }

  @Test
  void aBlankConnectionStringIsRejected() {
    assertThatThrownBy(() -> new EventHubsListener(9093, " "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theNamespaceAndItsOAuthScopeComeFromTheConnectionStringsEndpoint() {
    EventHubsListener listener =
        new EventHubsListener(
            9093,
            "Endpoint=sb://Contoso.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=v");

    assertThat(listener.namespace()).isEqualTo("Contoso.servicebus.windows.net");
    assertThat(listener.oauthScope()).isEqualTo("https://Contoso.servicebus.windows.net/.default");
  }

  @Test
  void theOAuthBearerJaasConfigRequiresTheNamespaceScopeAndNeverShowsTheConnectionString() {
    EventHubsListener listener =
        new EventHubsListener(9093, "Endpoint=sb://ns.example/;SharedAccessKey=secret");

    assertThat(listener.serverOAuthBearerJaasConfig())
        .isEqualTo(
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
                + " unsecuredLoginStringClaim_sub=\"broker\""
                + " unsecuredValidatorPrincipalClaimName=\"sub\""
                + " unsecuredValidatorScopeClaimName=\"scope\""
                + " unsecuredValidatorRequiredScope=\"https://ns.example/.default\";");
  }

  @Test
  void aConnectionStringWithoutAnEndpointNamesNoNamespace() {
    EventHubsListener listener = new EventHubsListener(9093, "SharedAccessKey=v");

    assertThatThrownBy(listener::namespace)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Endpoint=sb://")
        .hasMessageNotContaining("SharedAccessKey=v");
  }
}
