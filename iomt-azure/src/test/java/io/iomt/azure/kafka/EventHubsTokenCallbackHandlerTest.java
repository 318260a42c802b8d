package io.iomt.azure.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.auth.SaslExtensionsCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class EventHubsTokenCallbackHandlerTest {

  private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private final UnsecuredJwtCredential credential =
      new UnsecuredJwtCredential(Duration.ofMinutes(60), CLOCK);
  private final EventHubsOAuthBearer registration =
      EventHubsOAuthBearer.register("Contoso.servicebus.windows.net", credential);

  @AfterEach
  void unregister() {
    registration.close();
  }

  @Test
  void theTokenComesFromTheCredentialForTheNamespaceScopeWithItsExpiryAndSubject()
      throws Exception {
    OAuthBearerTokenCallback callback = new OAuthBearerTokenCallback();

    handler(registration).handle(new Callback[] {callback});

    OAuthBearerToken token = callback.token();
    assertThat(credential.requests())
        .containsExactly(List.of("https://contoso.servicebus.windows.net/.default"));
    assertThat(token.value()).isEqualTo(credential.issuedTokens().get(0));
    assertThat(token.scope()).containsExactly("https://contoso.servicebus.windows.net/.default");
    assertThat(token.lifetimeMs()).isEqualTo(NOW.plus(Duration.ofMinutes(60)).toEpochMilli());
    assertThat(token.startTimeMs()).isEqualTo(NOW.toEpochMilli());
    assertThat(token.principalName()).isEqualTo(UnsecuredJwtCredential.SUBJECT);
    assertThat(token.toString()).doesNotContain(token.value()).contains("****");
    assertThat(callback.errorCode()).isNull();
  }

  @Test
  void aTokenThatIsNoJwtStillLogsInUnderAnUnknownPrincipal() throws Exception {
    TokenCredential opaque =
        new TokenCredential() {
          @Override
          public Mono<AccessToken> getToken(TokenRequestContext request) {
            return Mono.just(
                new AccessToken("opaque-token", NOW.plusSeconds(600).atOffset(ZoneOffset.UTC)));
          }
        };
    try (EventHubsOAuthBearer other = EventHubsOAuthBearer.register("ns.example", opaque)) {
      OAuthBearerTokenCallback callback = new OAuthBearerTokenCallback();

      handler(other).handle(new Callback[] {callback});

      assertThat(callback.token().value()).isEqualTo("opaque-token");
      assertThat(callback.token().principalName()).isEqualTo("unknown");
      assertThat(callback.token().startTimeMs()).isNull();
      assertThat(callback.token().lifetimeMs()).isEqualTo(NOW.plusSeconds(600).toEpochMilli());
    }
  }

  @Test
  void aRefusedCredentialIsAnErrorNamingTheNamespaceAndTheCause() throws Exception {
    credential.mode(UnsecuredJwtCredential.Mode.REFUSE);
    OAuthBearerTokenCallback callback = new OAuthBearerTokenCallback();

    handler(registration).handle(new Callback[] {callback});

    assertThat(callback.token()).isNull();
    assertThat(callback.errorCode()).isEqualTo("invalid_client");
    assertThat(callback.errorDescription())
        .isEqualTo(
            "Azure AD gave no token for Event Hubs namespace contoso.servicebus.windows.net"
                + " (scope https://contoso.servicebus.windows.net/.default):"
                + " ClientAuthenticationException: "
                + UnsecuredJwtCredential.REFUSAL);
  }

  @Test
  void anExpiredTokenIsAnErrorNamingTheNamespaceAndNeverTheToken() throws Exception {
    credential.mode(UnsecuredJwtCredential.Mode.EXPIRED);
    OAuthBearerTokenCallback callback = new OAuthBearerTokenCallback();

    handler(registration).handle(new Callback[] {callback});

    assertThat(callback.token()).isNull();
    assertThat(callback.errorCode()).isEqualTo("invalid_token");
    assertThat(callback.errorDescription())
        .startsWith(
            "Azure AD gave an expired token for Event Hubs namespace contoso.servicebus.windows.net")
        .contains("expired at 2026-01-01T09:59:00Z")
        .doesNotContain(credential.issuedTokens().get(0));
  }

  @Test
  void saslExtensionsAreEmptyAndOtherCallbacksAreUnsupported() throws Exception {
    EventHubsTokenCallbackHandler handler = handler(registration);
    SaslExtensionsCallback extensions = new SaslExtensionsCallback();

    handler.handle(new Callback[] {extensions});

    assertThat(extensions.extensions().map()).isEmpty();
    assertThatThrownBy(() -> handler.handle(new Callback[] {new NameCallback("name")}))
        .isInstanceOf(UnsupportedCallbackException.class);
  }

  @Test
  void aClosedRegistrationIsNotFoundByNewClients() {
    registration.close();

    assertThatThrownBy(() -> handler(registration))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no Azure credential is registered")
        .hasMessageContaining(registration.id());
  }

  @Test
  void aJaasConfigWithoutTheRegistrationIdIsRefused() {
    assertThatThrownBy(
            () ->
                new EventHubsTokenCallbackHandler(CLOCK)
                    .configure(
                        Map.of(),
                        "OAUTHBEARER",
                        entries(
                            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule"
                                + " required;")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("azureCredentialId");
  }

  @Test
  void anotherMechanismIsRefused() {
    assertThatThrownBy(
            () ->
                new EventHubsTokenCallbackHandler(CLOCK)
                    .configure(Map.of(), "PLAIN", entries(registration.jaasConfig())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OAUTHBEARER");
  }

  @Test
  void theClientPropertiesAreThoseOfTheNamespacesKafkaEndpoint() {
    assertThat(registration.clientProperties())
        .containsEntry("bootstrap.servers", "contoso.servicebus.windows.net:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "OAUTHBEARER")
        .containsEntry(
            "sasl.login.callback.handler.class", EventHubsTokenCallbackHandler.class.getName())
        .containsEntry(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
                + " azureCredentialId=\""
                + registration.id()
                + "\";")
        .hasSize(5);
  }

  @Test
  void aNamespaceThatIsNoHostNameIsRefused() {
    assertThatThrownBy(
            () -> EventHubsOAuthBearer.register("sb://contoso.servicebus.windows.net/", credential))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a namespace host name");
  }

  private static EventHubsTokenCallbackHandler handler(EventHubsOAuthBearer registration) {
    EventHubsTokenCallbackHandler handler = new EventHubsTokenCallbackHandler(CLOCK);
    handler.configure(Map.of(), "OAUTHBEARER", entries(registration.jaasConfig()));
    return handler;
  }

  /** The JAAS entries Kafka parses from {@code sasl.jaas.config}. */
  private static List<AppConfigurationEntry> entries(String jaasConfig) {
    return JaasContext.loadClientContext(Map.of("sasl.jaas.config", new Password(jaasConfig)))
        .configurationEntries();
  }
}
