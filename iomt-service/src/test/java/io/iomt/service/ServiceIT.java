package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.testkit.HapiFhirServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The service end to end: HTTP ingest, embedded broker, both stages, a real HAPI FHIR server. */
class ServiceIT {
  static HapiFhirServer fhir;
  static RunningService service;
  static Path dataDir;

  @BeforeAll
  static void start() throws Exception {
    fhir = HapiFhirServer.shared();
    dataDir = Files.createTempDirectory("iomt-service-it");
    service = RunningService.start(RunningService.defaults(dataDir, fhir.baseUrl()));
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
  }

  static String heartRate(String device, int second, int value) {
    return "{\"deviceId\":\"%s\",\"patientId\":\"p-%s\",\"endDate\":\"2026-03-01T10:00:%02dZ\",\"heartRate\":%d}"
        .formatted(device, device, second, value);
  }

  @Test
  void aMessageAndAnArrayPostedToIngestBecomeObservationsInFhir() throws Exception {
    String device = "svc-" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<String> one = service.ingest("test", heartRate(device, 0, 60));
    assertThat(one.statusCode()).isEqualTo(202);
    assertThat(one.body()).isEqualTo("{\"accepted\":1}");
    List<String> batch = new ArrayList<>();
    for (int s = 1; s < 10; s++) {
      batch.add(heartRate(device, s, 60 + s));
    }
    HttpResponse<String> many = service.ingest("test", "[" + String.join(",", batch) + "]");
    assertThat(many.statusCode()).isEqualTo(202);
    assertThat(many.body()).isEqualTo("{\"accepted\":9}");

    assertThat(FhirCounts.awaitObservations(fhir.baseUrl(), device, 10)).isEqualTo(10);
  }
}
