package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.testkit.Await;
import io.iomt.testkit.FaultInjectingProxy;
import io.iomt.testkit.FhirObservations;
import io.iomt.testkit.HapiFhirServer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Refused FHIR credentials are a blocking error: the connector stops writing and says why, keeps
 * every message, and continues by itself once the server accepts its token again.
 */
class FhirCredentialsIT {
  static final String TOKEN = "expired-token-" + UUID.randomUUID();

  @Test
  void refusedCredentialsBlockTheConnectorVisiblyAndNothingIsDroppedOrDeadLettered()
      throws Exception {
    String fhirUrl = HapiFhirServer.shared().baseUrl();
    try (FaultInjectingProxy proxy = FaultInjectingProxy.start(fhirUrl)) {
      Map<String, Object> p =
          RunningService.defaults(Files.createTempDirectory("iomt-credentials"), proxy.baseUrl());
      p.put("iomt.connectors.test.fhir.auth.type", "bearer");
      p.put("iomt.connectors.test.fhir.auth.token", TOKEN);
      proxy.failNext(100_000, 401, null);
      try (RunningService service = RunningService.start(p)) {
        String device = "cred-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> batch = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
          batch.add(ServiceIT.heartRate(device, s, 80 + s));
        }
        assertThat(service.ingest("test", "[" + String.join(",", batch) + "]").statusCode())
            .isEqualTo(202);

        String ready =
            Await.atMost(Duration.ofMinutes(2))
                .every(Duration.ofMillis(500))
                .until(
                    "UnauthorizedAccessFhirServiceException in /actuator/health/delivery",
                    () -> service.read("/actuator/health/delivery", RunningService.API_KEY).body(),
                    b -> b.contains("UnauthorizedAccessFhirServiceException"));
        assertThat(ready)
            .contains("\"status\":\"blocked\",\"error\":\"UnauthorizedAccessFhirServiceException\"")
            .contains("\"fhir\":{\"status\":\"DOWN\"")
            .doesNotContain(TOKEN);
        assertThat(service.get("/actuator/prometheus", RunningService.API_KEY).body())
            .contains("name=\"UnauthorizedAccessFhirServiceException\"");
        assertThat(FhirObservations.countOfDevice(fhirUrl, device)).isZero();

        proxy.clearFaults();
        assertThat(FhirCounts.awaitObservations(fhirUrl, device, 10)).isEqualTo(10);
        assertThat(service.get("/actuator/prometheus", RunningService.API_KEY).body())
            .doesNotContainPattern("iomt_errors_total\\{[^}]*stage=\"Normalization\"");
      }
    }
  }
}
