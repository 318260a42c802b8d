package io.iomt.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
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
}
