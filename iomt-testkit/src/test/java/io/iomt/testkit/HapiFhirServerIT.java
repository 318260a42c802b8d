package io.iomt.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HapiFhirServerIT {

  private static final String SYSTEM = "urn:iomt:test";
  private static HapiFhirServer server;
  private final FhirHttp http = new FhirHttp();

  @BeforeAll
  static void startServer() {
    server = HapiFhirServer.shared();
  }

  @Test
  void answersMetadataWithAnR4CapabilityStatement() throws IOException {
    HttpResponse<String> response = http.get(server.baseUrl() + "/metadata");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(server.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+/fhir");
    CapabilityStatement capabilities = http.parse(CapabilityStatement.class, response);
    assertThat(capabilities.getFhirVersion().toCode()).isEqualTo("4.0.1");
  }

  @Test
  void transactionWithConditionalCreateAndClientAssignedIdIsIdempotent() throws IOException {
    String identifier = UUID.randomUUID().toString();
    String deviceId = "dev-" + identifier;
    Bundle transaction = patientAndDevice(identifier, deviceId);

    Bundle first = http.parse(Bundle.class, http.post(server.baseUrl(), transaction));
    Bundle second = http.parse(Bundle.class, http.post(server.baseUrl(), transaction));

    assertThat(first.getEntry())
        .extracting(entry -> entry.getResponse().getStatus())
        .containsExactly("201 Created", "201 Created");
    assertThat(first.getEntry().get(1).getResponse().getLocation())
        .startsWith("Device/" + deviceId + "/_history/1");
    String patientLocation = first.getEntry().get(0).getResponse().getLocation();
    assertThat(second.getEntry().get(0).getResponse().getStatus()).startsWith("200");
    assertThat(second.getEntry().get(0).getResponse().getLocation()).isEqualTo(patientLocation);
    Bundle patients =
        http.parse(
            Bundle.class,
            http.get(server.baseUrl() + "/Patient?identifier=" + SYSTEM + "%7C" + identifier));
    assertThat(patients.getEntry()).hasSize(1);
    Device device = http.parse(Device.class, http.get(server.baseUrl() + "/Device/" + deviceId));
    assertThat(patientLocation).startsWith(device.getPatient().getReference() + "/_history/");
  }

  @Test
  void updateWithAStaleIfMatchVersionIsRejected() throws IOException {
    String id = "obs-" + UUID.randomUUID();
    String url = server.baseUrl() + "/Observation/" + id;
    Observation observation = new Observation();
    observation.setId(id);
    observation.setStatus(Observation.ObservationStatus.FINAL);
    observation.getCode().setText("heart rate");

    HttpResponse<String> created = http.put(url, observation);
    observation.getCode().setText("heart rate, corrected");
    HttpResponse<String> updated = http.put(url, observation, "If-Match", "W/\"1\"");
    observation.getCode().setText("heart rate, from a stale copy");
    HttpResponse<String> stale = http.put(url, observation, "If-Match", "W/\"1\"");

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("ETag")).hasValue("W/\"1\"");
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(updated.headers().firstValue("ETag")).hasValue("W/\"2\"");
    assertThat(stale.statusCode()).isIn(409, 412);
  }

  @Test
  void stopRefusesConnectionsAndStartServesTheSameDataOnTheSamePort() throws IOException {
    String baseUrl = server.baseUrl();
    String id = "p-" + UUID.randomUUID();
    String url = baseUrl + "/Patient/" + id;
    assertThat(http.put(url, patient(id)).statusCode()).isEqualTo(201);

    server.stop();
    try {
      assertThat(server.isRunning()).isFalse();
      assertThatThrownBy(() -> http.get(url)).isInstanceOf(IOException.class);
    } finally {
      server.start();
    }

    assertThat(server.isRunning()).isTrue();
    assertThat(server.baseUrl()).isEqualTo(baseUrl);
    HttpResponse<String> after = http.get(url);
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(http.parse(Patient.class, after).getActive()).isTrue();
  }

  @Test
  void resetExpungesEveryResource() throws IOException {
    String id = "p-" + UUID.randomUUID();
    String url = server.baseUrl() + "/Patient/" + id;
    assertThat(http.put(url, patient(id)).statusCode()).isEqualTo(201);

    server.reset();

    assertThat(http.get(url).statusCode()).isEqualTo(404);
    assertThat(http.put(url, patient(id)).statusCode()).isEqualTo(201);
  }

  @Test
  void fhirObservationsCountsTheObservationsOfADeviceByTheConnectorsDeviceId() throws IOException {
    String device = "dev-" + UUID.randomUUID();
    String other = "dev-" + UUID.randomUUID();
    String deviceId = io.iomt.core.observation.ResourceIds.of("Device", null, device);
    Device resource = new Device();
    resource.setId(deviceId);
    assertThat(http.put(server.baseUrl() + "/Device/" + deviceId, resource).statusCode())
        .isEqualTo(201);
    for (int i = 0; i < 3; i++) {
      Observation observation = new Observation();
      observation.setId("obs-" + UUID.randomUUID());
      observation.setStatus(Observation.ObservationStatus.FINAL);
      observation.getCode().setText("heart rate");
      observation.setDevice(new Reference("Device/" + deviceId));
      assertThat(
              http.put(server.baseUrl() + "/Observation/" + observation.getId(), observation)
                  .statusCode())
          .isEqualTo(201);
    }

    assertThat(FhirObservations.countOfDevice(server.baseUrl(), device)).isEqualTo(3);
    assertThat(FhirObservations.countsOfDevices(server.baseUrl(), List.of(other, device)))
        .containsExactly(Map.entry(other, 0), Map.entry(device, 3));
    assertThatThrownBy(() -> FhirObservations.countOfDevice(server.baseUrl() + "/nowhere", device))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("answered 404");
  }

  private static Patient patient(String id) {
    Patient patient = new Patient().setActive(true);
    patient.setId(id);
    return patient;
  }

  private static Bundle patientAndDevice(String identifier, String deviceId) {
    Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    Patient patient = new Patient();
    patient.addIdentifier().setSystem(SYSTEM).setValue(identifier);
    String patientUuid = "urn:uuid:" + UUID.randomUUID();
    bundle
        .addEntry()
        .setFullUrl(patientUuid)
        .setResource(patient)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("Patient")
        .setIfNoneExist("identifier=" + SYSTEM + "|" + identifier);
    Device device = new Device();
    device.setId(deviceId);
    device.addIdentifier().setSystem(SYSTEM).setValue(identifier);
    device.setPatient(new Reference(patientUuid));
    bundle
        .addEntry()
        .setResource(device)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.PUT)
        .setUrl("Device/" + deviceId);
    return bundle;
  }
}
