package io.iomt.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Driver;
import java.sql.DriverManager;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistentHapiFhirServerIT {

  private final FhirHttp http = new FhirHttp();

  @Test
  void whatOneServerWroteTheNextServerOnTheSameDirectoryServes(@TempDir Path dir)
      throws IOException {
    Patient patient = new Patient().setActive(true);
    patient.setId("p-1");
    Observation observation = new Observation();
    observation.setId("obs-1");
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
    observation.getSubject().setReference("Patient/p-1");

    try (HapiFhirServer first = HapiFhirServer.persistent(dir, 0)) {
      String baseUrl = first.baseUrl();
      first.start();
      assertThat(first.baseUrl()).isEqualTo(baseUrl);
      assertThat(http.put(baseUrl + "/Patient/p-1", patient).statusCode()).isEqualTo(201);
      assertThat(http.put(baseUrl + "/Observation/obs-1", observation).statusCode()).isEqualTo(201);
      assertThatThrownBy(() -> HapiFhirServer.persistent(dir, 0).start())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("uses the database in " + dir.toAbsolutePath());
    }
    assertThat(dir.resolve("hapi-fhir.mv.db")).isRegularFile();

    try (HapiFhirServer second = HapiFhirServer.persistent(dir, 0)) {
      second.start();
      String baseUrl = second.baseUrl();
      HttpResponse<String> read = http.get(baseUrl + "/Patient/p-1");
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(http.parse(Patient.class, read).getActive()).isTrue();
      // The search indexes survived too, and the restarted server still writes.
      Bundle found =
          http.parse(
              Bundle.class,
              http.get(
                  baseUrl + "/Observation?subject=Patient/p-1&code=http://loinc.org%7C8867-4"));
      assertThat(found.getEntry())
          .extracting(entry -> entry.getResource().getIdElement().getIdPart())
          .containsExactly("obs-1");
      observation.setStatus(Observation.ObservationStatus.AMENDED);
      HttpResponse<String> updated = http.put(baseUrl + "/Observation/obs-1", observation);
      assertThat(updated.statusCode()).isEqualTo(200);
      assertThat(updated.headers().firstValue("ETag")).hasValue("W/\"2\"");
    }
  }

  /**
   * Defect 19: the demo's executable jar on Java 25 started this server from a common-pool thread
   * whose context class loader does not see the jar's libraries, and {@code DriverManager} did not
   * know the H2 driver: the server could not open its database ("No suitable driver"), and once it
   * could, Spring could not find its own classes. This recreates both: H2 taken out of {@code
   * DriverManager}, and a start from a thread whose context loader is the platform loader.
   */
  @Test
  void bootsFromAThreadThatSeesNoLibrariesWithoutH2InDriverManager(@TempDir Path dir)
      throws Exception {
    List<Driver> h2 = DriverManager.drivers().filter(d -> d instanceof org.h2.Driver).toList();
    for (Driver driver : h2) {
      DriverManager.deregisterDriver(driver);
    }
    try (HapiFhirServer server = HapiFhirServer.persistent(dir, 0)) {
      assertThatThrownBy(() -> DriverManager.getConnection("jdbc:h2:mem:probe"))
          .hasMessageContaining("No suitable driver");
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread starter =
          new Thread(
              () -> {
                try {
                  server.start();
                } catch (Throwable t) {
                  failure.set(t);
                }
              },
              "starter-without-libraries");
      starter.setContextClassLoader(ClassLoader.getPlatformClassLoader());

      starter.start();
      starter.join();

      assertThat(failure.get()).as("start() failure").isNull();
      Patient patient = new Patient().setActive(true);
      patient.setId("p-driverless");
      assertThat(http.put(server.baseUrl() + "/Patient/p-driverless", patient).statusCode())
          .isEqualTo(201);
    } finally {
      for (Driver driver : h2) {
        DriverManager.registerDriver(driver);
      }
    }
    assertThat(dir.resolve("hapi-fhir.mv.db")).isRegularFile();
  }
}
