package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.exception.ClientAuthenticationException;
import io.iomt.azure.kafka.EventHubsOAuthBearer;
import io.iomt.embedded.kafka.EmbeddedKafkaBroker;
import io.iomt.testkit.HapiFhirServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The service on a cluster reached like an Azure Event Hubs namespace's Kafka endpoint with Azure
 * AD: configured with {@code iomt.kafka.event-hubs-namespace} only (plus the loopback bootstrap
 * servers and SASL_PLAINTEXT, as no TLS runs here), its Kafka clients log in with SASL OAUTHBEARER
 * and tokens from the credential; the broker checks them with Kafka's unsecured validator, which
 * requires the namespace's scope.
 */
class EventHubsAzureAdIT {
  static final String NAMESPACE = "iomt-aad.servicebus.windows.net";
  static EmbeddedKafkaBroker namespace;

  @BeforeAll
  static void startNamespace() throws Exception {
    namespace =
        EmbeddedKafkaBroker.startWithEventHubsListener(
            Files.createTempDirectory("iomt-eventhubs-aad"),
            "Endpoint=sb://" + NAMESPACE + "/;SharedAccessKeyName=unused;SharedAccessKey=unused");
  }

  @AfterAll
  static void stopNamespace() {
    namespace.close();
  }

  @Test
  void withTheNamespaceAndAnAzureAdCredentialMessagesFlowToFhir() throws Exception {
    Map<String, Object> p =
        RunningService.defaults(
            Files.createTempDirectory("iomt-service-aad"), HapiFhirServer.shared().baseUrl());
    p.put("iomt.kafka.bootstrap-servers", namespace.eventHubsBootstrapServers());
    p.put("iomt.kafka.event-hubs-namespace", NAMESPACE);
    p.put("iomt.kafka.properties.security.protocol", "SASL_PLAINTEXT");
    p.put("iomt.ingest.ack-timeout", "10s");
    JwtCredential credential = new JwtCredential();
    KafkaRuntime.EventHubsLogin login = ns -> EventHubsOAuthBearer.register(ns, credential);

    try (RunningService service = RunningService.start(p, Map.of("testEventHubsLogin", login))) {
      String device = "aad-" + UUID.randomUUID().toString().substring(0, 8);
      HttpResponse<String> r = service.ingest("test", ServiceIT.heartRate(device, 1, 64));

      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      assertThat(FhirCounts.awaitObservations(HapiFhirServer.shared().baseUrl(), device, 1))
          .isEqualTo(1);
      assertThat(service.get("/actuator/health/readiness", RunningService.API_KEY).body())
          .contains("\"broker\":{\"status\":\"UP\",\"details\":{\"embedded\":false");
    }
    assertThat(credential.scopes)
        .isNotEmpty()
        .containsOnly(List.of("https://" + NAMESPACE + "/.default"));
  }

  /**
   * Azure AD refusing the identity at start-up is a start-up failure naming the namespace and Azure
   * AD's reason (Kafka builds the ingest producer's login then), never a token.
   */
  @Test
  void aCredentialRefusedAtStartUpStopsTheServiceNamingTheNamespaceAndTheReason() throws Exception {
    Map<String, Object> p =
        RunningService.defaults(
            Files.createTempDirectory("iomt-service-aad"), HapiFhirServer.shared().baseUrl());
    p.put("iomt.kafka.bootstrap-servers", namespace.eventHubsBootstrapServers());
    p.put("iomt.kafka.event-hubs-namespace", NAMESPACE);
    p.put("iomt.kafka.properties.security.protocol", "SASL_PLAINTEXT");
    JwtCredential credential = new JwtCredential();
    credential.refuse = true;
    KafkaRuntime.EventHubsLogin login = ns -> EventHubsOAuthBearer.register(ns, credential);

    Throwable failure =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> RunningService.start(p, Map.of("testEventHubsLogin", login)).close());

    assertThat(failure).isNotNull();
    assertThat(org.assertj.core.util.Throwables.getRootCause(failure))
        .hasMessage(
            "Azure AD gave no token for Event Hubs namespace "
                + NAMESPACE
                + " (scope https://"
                + NAMESPACE
                + "/.default): ClientAuthenticationException: AADSTS700016: Application not"
                + " found in the directory.");
  }

  /** Unsecured JWTs ({@code alg: none}) valid for an hour, for the scopes asked. */
  static final class JwtCredential implements TokenCredential {
    final List<List<String>> scopes = new CopyOnWriteArrayList<>();
    volatile boolean refuse;

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
      return Mono.fromCallable(() -> getTokenSync(request));
    }

    @Override
    public AccessToken getTokenSync(TokenRequestContext request) {
      scopes.add(List.copyOf(request.getScopes()));
      if (refuse) {
        throw new ClientAuthenticationException(
            "AADSTS700016: Application not found in the directory.", null);
      }
      long now = Instant.now().getEpochSecond();
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      String claims =
          "{\"sub\":\"iomt-service\",\"iat\":"
              + now
              + ",\"exp\":"
              + (now + 3600)
              + ",\"scope\":\""
              + String.join(" ", request.getScopes())
              + "\"}";
      String token =
          b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
              + "."
              + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
              + ".";
      return new AccessToken(token, Instant.ofEpochSecond(now + 3600).atOffset(ZoneOffset.UTC));
    }
  }
}
