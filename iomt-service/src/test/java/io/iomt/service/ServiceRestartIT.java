package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.testkit.Await;
import io.iomt.testkit.HapiFhirServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The embedded broker keeps its data in the data directory, so a restart loses nothing. */
class ServiceRestartIT {

  @Test
  void messagesAcceptedWhileFhirWasUnreachableArriveAfterTheServiceRestartsOnTheSameDataDir()
      throws Exception {
    Path dataDir = Files.createTempDirectory("iomt-service-restart");
    String device = "restart-" + UUID.randomUUID().toString().substring(0, 8);
    String nowhere;
    try (ServerSocket free = new ServerSocket(0)) {
      nowhere = "http://127.0.0.1:" + free.getLocalPort() + "/fhir";
    }

    try (RunningService first = RunningService.start(RunningService.defaults(dataDir, nowhere))) {
      List<String> batch = new ArrayList<>();
      for (int s = 0; s < 20; s++) {
        batch.add(ServiceIT.heartRate(device, s, 50 + s));
      }
      assertThat(first.ingest("test", "[" + String.join(",", batch) + "]").statusCode())
          .isEqualTo(202);
      awaitBlocked(first);
    }
    assertThat(Files.isDirectory(dataDir.resolve("kafka"))).isTrue();

    String fhirUrl = HapiFhirServer.shared().baseUrl();
    Map<String, Object> props = RunningService.defaults(dataDir, fhirUrl);
    try (RunningService second = RunningService.start(props)) {
      assertThat(FhirCounts.awaitObservations(fhirUrl, device, 20)).isEqualTo(20);
      assertThat(second.get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
    }
  }

  /** The group stage reports the unreachable FHIR server before the service is stopped. */
  private static void awaitBlocked(RunningService service) {
    String body =
        Await.atMost(Duration.ofMinutes(2))
            .every(Duration.ofMillis(500))
            .until(
                "FhirServiceUnavailableException in /actuator/health/delivery",
                () -> service.read("/actuator/health/delivery", RunningService.API_KEY).body(),
                b -> b.contains("FhirServiceUnavailableException"));
    assertThat(body)
        .contains("\"fhir\":{\"status\":\"DOWN\"")
        .contains("\"status\":\"blocked\",\"error\":\"FhirServiceUnavailableException\"");
  }
}
