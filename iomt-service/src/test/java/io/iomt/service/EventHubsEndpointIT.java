package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.embedded.kafka.EmbeddedKafkaBroker;
import io.iomt.testkit.HapiFhirServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service on a cluster reached like an Azure Event Hubs namespace's Kafka endpoint: the broker
 * authenticates SASL PLAIN user {@code $ConnectionString}, and the service is configured only with
 * the connection string (plus {@code security.protocol=SASL_PLAINTEXT}, because no TLS runs here; a
 * namespace needs the default SASL_SSL).
 */
class EventHubsEndpointIT {
  static final String CONNECTION_STRING =
      "Endpoint=sb://iomt-test.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
          + "SharedAccessKey="
          + UUID.randomUUID();
  static EmbeddedKafkaBroker namespace;

  @BeforeAll
  static void startNamespace() throws Exception {
    namespace =
        EmbeddedKafkaBroker.startWithEventHubsListener(
            Files.createTempDirectory("iomt-eventhubs"), CONNECTION_STRING);
  }

  @AfterAll
  static void stopNamespace() {
    namespace.close();
  }

  static Map<String, Object> properties(String connectionString) throws Exception {
    Map<String, Object> p =
        RunningService.defaults(
            Files.createTempDirectory("iomt-service-eh"), HapiFhirServer.shared().baseUrl());
    p.put("iomt.kafka.bootstrap-servers", namespace.eventHubsBootstrapServers());
    p.put("iomt.kafka.event-hubs-connection-string", connectionString);
    p.put("iomt.kafka.properties.security.protocol", "SASL_PLAINTEXT");
    p.put("iomt.ingest.ack-timeout", "10s");
    return p;
  }

  @Test
  void withTheNamespaceConnectionStringMessagesFlowToFhirAndNoEmbeddedBrokerStarts()
      throws Exception {
    Map<String, Object> p = properties(CONNECTION_STRING);
    try (RunningService service = RunningService.start(p)) {
      String device = "eh-" + UUID.randomUUID().toString().substring(0, 8);
      HttpResponse<String> r = service.ingest("test", ServiceIT.heartRate(device, 1, 64));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
      assertThat(FhirCounts.awaitObservations(HapiFhirServer.shared().baseUrl(), device, 1))
          .isEqualTo(1);
      assertThat(service.get("/actuator/health/readiness", RunningService.API_KEY).body())
          .contains("\"broker\":{\"status\":\"UP\",\"details\":{\"embedded\":false");
      assertThat(Files.exists(Path.of(p.get("iomt.data-dir").toString()).resolve("kafka")))
          .isFalse();
    }
  }

  @Test
  void aRevokedKeyAnswers503WithTheReasonAndReadinessGoesDown() throws Exception {
    String revoked = CONNECTION_STRING.replaceAll("SharedAccessKey=.*", "SharedAccessKey=revoked");
    try (RunningService service = RunningService.start(properties(revoked))) {
      HttpResponse<String> r = service.ingest("test", ServiceIT.heartRate("eh-revoked", 1, 64));
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body())
          .startsWith("{\"code\":\"EventSourceUnauthorized\",\"message\":\"The broker refused")
          .doesNotContain("revoked");
      HttpResponse<String> ready =
          service.get("/actuator/health/readiness", RunningService.API_KEY);
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("\"broker\":{\"status\":\"DOWN\"");
    }
  }
}
