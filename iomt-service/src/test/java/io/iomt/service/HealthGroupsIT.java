package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iomt.testkit.Await;
import io.iomt.testkit.FaultInjectingProxy;
import io.iomt.testkit.HapiFhirServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The health groups on the real service (embedded broker, HAPI FHIR server behind a {@link
 * FaultInjectingProxy}) during a FHIR outage: readiness stays UP and ingest answers 202, the
 * delivery group is DOWN and names the FHIR server and the blocked stage, and nothing that is open
 * without a key shows more than a status: no password of the FHIR URL, no device identifier.
 */
@ExtendWith(OutputCaptureExtension.class)
class HealthGroupsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "s3cr3t-in-url";
  private static final Duration PATIENCE = Duration.ofMinutes(3);

  @Test
  void aFhirOutageLeavesTheServiceReadyAndShowsInTheDeliveryGroupOnlyToKeyHolders(
      CapturedOutput output) throws Exception {
    String fhirUrl = HapiFhirServer.shared().baseUrl();
    try (FaultInjectingProxy proxy = FaultInjectingProxy.start(fhirUrl)) {
      String shownUrl = proxy.baseUrl();
      Map<String, Object> p =
          RunningService.defaults(
              Files.createTempDirectory("iomt-health"),
              shownUrl.replace("http://", "http://admin:" + PASSWORD + "@"));
      p.put("logging.level.io.iomt.service", "INFO"); // the start-up line is an INFO
      try (RunningService service = RunningService.start(p)) {
        String before = "health-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(service.ingest("test", ServiceIT.heartRate(before, 1, 61)).statusCode())
            .isEqualTo(202);
        assertThat(FhirCounts.awaitObservations(fhirUrl, before, 1)).isEqualTo(1);
        assertThat(output.getAll())
            .as("start-up log")
            .contains("Connector test running: test-events -> FHIR " + shownUrl + "\n");

        // FHIR goes away: every request, the health check's GET /metadata included, gets a 503.
        proxy.failNext(1_000_000, 503, null);
        String during = "health-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> accepted = service.ingest("test", ServiceIT.heartRate(during, 2, 62));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode delivery =
            await(
                service,
                "/actuator/health/delivery",
                "the group stage blocked",
                h ->
                    "blocked"
                        .equals(h.at("/components/connectors/details/test/group/status").asText()));

        // Readiness: UP, for probes (no key) and operators alike; it does not depend on FHIR.
        HttpResponse<String> ready = service.get("/actuator/health/readiness", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"UP\"}");
        JsonNode readyDetails =
            json(service.get("/actuator/health/readiness", RunningService.API_KEY));
        assertThat(readyDetails.at("/components").fieldNames())
            .toIterable()
            .containsExactlyInAnyOrder("broker", "readinessState", "stages");
        assertThat(readyDetails.at("/components/stages/status").asText()).isEqualTo("UP");
        HttpResponse<String> more = service.ingest("test", ServiceIT.heartRate(during, 3, 63));
        assertThat(more.statusCode())
            .as("ingest while FHIR is down: %s", more.body())
            .isEqualTo(202);

        // Delivery: DOWN, naming the FHIR server (without user info) and the blocked stage.
        assertThat(delivery.path("status").asText()).isEqualTo("DOWN");
        assertThat(delivery.at("/components/broker/status").asText()).isEqualTo("UP");
        assertThat(delivery.at("/components/fhir/status").asText()).isEqualTo("DOWN");
        assertThat(delivery.at("/components/fhir/details/test/url").asText()).isEqualTo(shownUrl);
        assertThat(delivery.at("/components/fhir/details/test/status").asInt()).isEqualTo(503);
        assertThat(delivery.at("/components/connectors/status").asText()).isEqualTo("DOWN");
        JsonNode group = delivery.at("/components/connectors/details/test/group");
        assertThat(group.path("error").asText()).isEqualTo("FhirServiceUnavailableException");
        assertThat(group.path("message").asText())
            .as("the stage's message, for key holders")
            .contains("The FHIR server " + shownUrl)
            .contains("is unavailable: GET Device?identifier=…")
            .doesNotContain(during);
        assertThat(delivery.at("/components/connectors/details/test/normalize").asText())
            .isEqualTo("running");

        // Without a key: statuses only, everywhere.
        HttpResponse<String> openDelivery = service.get("/actuator/health/delivery", null);
        assertThat(openDelivery.statusCode()).isEqualTo(503);
        assertThat(openDelivery.body()).isEqualTo("{\"status\":\"DOWN\"}");
        HttpResponse<String> openRoot = service.get("/actuator/health", null);
        assertThat(openRoot.statusCode()).isEqualTo(503);
        assertThat(openRoot.body())
            .as("/actuator/health without a key")
            .startsWith("{\"status\":\"DOWN\"")
            .doesNotContain("details")
            .doesNotContain("components")
            .doesNotContain("127.0.0.1");
        for (String component : new String[] {"fhir", "connectors", "broker"}) {
          assertThat(service.get("/actuator/health/" + component, null).statusCode())
              .as("a single component without a key is not shown at all")
              .isEqualTo(404);
          assertThat(service.get("/actuator/health/" + component, RunningService.API_KEY).body())
              .as("%s with the key", component)
              .contains("\"details\"");
        }
        assertThat(service.get("/actuator/health/liveness", null).body())
            .isEqualTo("{\"status\":\"UP\"}");
        assertThat(service.get("/actuator/health/delivery", "not-the-key-0123456789").statusCode())
            .as("a wrong key is refused, not taken for no key")
            .isEqualTo(401);
        assertThat(service.get("/actuator/health", RunningService.API_KEY).body())
            .doesNotContain(PASSWORD)
            .doesNotContain(during);
        assertThat(output.getAll()).as("everything logged so far").doesNotContain(PASSWORD);

        // FHIR back: what was accepted during the outage arrives, delivery is UP again.
        proxy.clearFaults();
        assertThat(FhirCounts.awaitObservations(fhirUrl, during, 2)).isEqualTo(2);
        assertThat(
                await(
                        service,
                        "/actuator/health/delivery",
                        "UP",
                        h -> "UP".equals(h.path("status").asText()))
                    .path("status")
                    .asText())
            .isEqualTo("UP");
      }
    }
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  /**
   * Reads a health endpoint with the API key until {@code done} holds (at most {@link #PATIENCE});
   * the answer that met it.
   */
  private static JsonNode await(
      RunningService service, String path, String what, Predicate<JsonNode> done) {
    return Await.atMost(PATIENCE)
        .every(Duration.ofMillis(250))
        .until(
            path + ": " + what,
            () -> {
              String body = service.read(path, RunningService.API_KEY).body();
              try {
                return JSON.readTree(body);
              } catch (JsonProcessingException e) {
                throw new IllegalStateException(path + " answered no JSON: " + body, e);
              }
            },
            done);
  }
}
