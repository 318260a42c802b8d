package io.iomt.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
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
   * Defect 19: in the demo's executable jar on Java 25, {@code DriverManager} did not see the H2
   * driver and the server could not open its database. Taking the driver out of {@code
   * DriverManager} recreates that here.
   */
  @Test
  void opensItsDatabaseWhenDriverManagerDoesNotKnowTheH2Driver(@TempDir Path dir)
      throws IOException, SQLException {
    List<Driver> h2 = DriverManager.drivers().filter(d -> d instanceof org.h2.Driver).toList();
    for (Driver driver : h2) {
      DriverManager.deregisterDriver(driver);
    }
    try (HapiFhirServer server = HapiFhirServer.persistent(dir, 0)) {
      assertThatThrownBy(() -> DriverManager.getConnection("jdbc:h2:mem:probe"))
          .hasMessageContaining("No suitable driver");

      server.start();

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
