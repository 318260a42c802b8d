package io.iomt.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The in-memory server answers as HAPI FHIR JPA does: every parameterized case sends the same
 * requests to the real JPA server and to the {@link InMemoryFhirServer} and asserts the same
 * statuses, versions, ETags and bundle answers of both. Where they differ on purpose ({@code
 * If-None-Match: *} on PUT), a test says what each does.
 */
class InMemoryFhirServerIT {
  private static final String SYSTEM = "urn:iomt:test";
  private static final InMemoryFhirServer MEMORY = InMemoryFhirServer.start();
  private final FhirHttp http = new FhirHttp();

  static Stream<Arguments> servers() {
    return Stream.of(
        Arguments.of("JPA", HapiFhirServer.shared().baseUrl()),
        Arguments.of("in-memory", MEMORY.baseUrl()));
  }

  @AfterAll
  static void close() {
    MEMORY.close();
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Observation observation(String id, int value) {
    Observation o = new Observation();
    o.setId(id);
    o.setStatus(Observation.ObservationStatus.FINAL);
    o.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
    o.setValue(new org.hl7.fhir.r4.model.Quantity(value));
    return o;
  }

  private static Patient patient(String id, String identifier) {
    Patient p = new Patient();
    p.setId(id);
    p.addIdentifier().setSystem(SYSTEM).setValue(identifier);
    return p;
  }

  private static String etag(HttpResponse<String> r) {
    return r.headers().firstValue("ETag").orElse(null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void aPutCreatesVersionOneThenCountsUpAndAnUnchangedPutKeepsTheVersion(String name, String base)
      throws IOException {
    String id = unique("obs");
    String url = base + "/Observation/" + id;

    HttpResponse<String> created = http.put(url, observation(id, 70));
    HttpResponse<String> updated = http.put(url, observation(id, 71));
    HttpResponse<String> same = http.put(url, observation(id, 71));
    HttpResponse<String> read = http.get(url);

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(etag(created)).isEqualTo("W/\"1\"");
    assertThat(created.headers().firstValue("Content-Location").orElseThrow())
        .endsWith("/Observation/" + id + "/_history/1");
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(etag(updated)).isEqualTo("W/\"2\"");
    assertThat(same.statusCode()).isEqualTo(200);
    assertThat(etag(same)).as("a no-op update keeps the version").isEqualTo("W/\"2\"");
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(etag(read)).isEqualTo("W/\"2\"");
    assertThat(http.parse(Observation.class, read).getMeta().getVersionId()).isEqualTo("2");
    assertThat(http.get(base + "/Observation/" + unique("absent")).statusCode()).isEqualTo(404);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void ifMatchUpdatesOnlyTheNamedVersionAndVersionZeroCreatesOnlyWhenAbsent(
      String name, String base) throws IOException {
    String id = unique("obs");
    String url = base + "/Observation/" + id;

    HttpResponse<String> zeroOnAbsent = http.put(url, observation(id, 70), "If-Match", "W/\"0\"");
    HttpResponse<String> zeroOnExisting = http.put(url, observation(id, 71), "If-Match", "W/\"0\"");
    HttpResponse<String> current = http.put(url, observation(id, 72), "If-Match", "W/\"1\"");
    HttpResponse<String> stale = http.put(url, observation(id, 73), "If-Match", "W/\"1\"");
    HttpResponse<String> otherOnAbsent =
        http.put(
            base + "/Observation/" + unique("absent"), observation("x", 70), "If-Match", "W/\"3\"");

    assertThat(zeroOnAbsent.statusCode()).isEqualTo(201);
    assertThat(etag(zeroOnAbsent)).isEqualTo("W/\"1\"");
    assertThat(zeroOnExisting.statusCode()).isEqualTo(409);
    assertThat(current.statusCode()).isEqualTo(200);
    assertThat(etag(current)).isEqualTo("W/\"2\"");
    assertThat(stale.statusCode()).isEqualTo(409);
    assertThat(otherOnAbsent.statusCode()).isIn(400, 404);
    assertThat(etag(http.get(url))).isEqualTo("W/\"2\"");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void searchesByIdentifierWithOrWithoutSystemAndCounts(String name, String base)
      throws IOException {
    String identifier = unique("mrn");
    String id = unique("pat");
    http.put(base + "/Patient/" + id, patient(id, identifier));

    for (String query :
        List.of(SYSTEM + "|" + identifier, identifier, "urn:iomt:other|" + identifier)) {
      Bundle found =
          http.parse(
              Bundle.class,
              http.get(
                  base
                      + "/Patient?identifier="
                      + java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8)
                      + "&_count=2"));
      assertThat(found.getEntry())
          .extracting(e -> e.getResource().getIdElement().getIdPart())
          .as(query)
          .isEqualTo(query.startsWith("urn:iomt:other") ? List.of() : List.of(id));
    }
    Bundle count =
        http.parse(
            Bundle.class, http.get(base + "/Patient?identifier=" + identifier + "&_summary=count"));
    assertThat(count.getTotal()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void aBatchAnswersEveryEntryOnItsOwnInRequestOrder(String name, String base) throws IOException {
    String existing = unique("obs");
    http.put(base + "/Observation/" + existing, observation(existing, 70));
    String identifier = unique("mrn");
    String patientId = unique("pat");
    http.put(base + "/Patient/" + patientId, patient(patientId, identifier));
    String fresh = unique("obs");
    Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
    batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Observation/" + existing);
    batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Observation/" + unique("no"));
    put(batch, observation(fresh, 60)).setIfMatch("W/\"0\"");
    put(batch, observation(existing, 71)).setIfMatch("W/\"5\"");
    put(batch, observation(existing, 72)).setIfMatch("W/\"1\"");
    batch
        .addEntry()
        .getRequest()
        .setMethod(HTTPVerb.GET)
        .setUrl("Patient?identifier=" + SYSTEM + "|" + identifier);

    Bundle response = http.parse(Bundle.class, http.post(base, batch));

    assertThat(response.getType()).isEqualTo(Bundle.BundleType.BATCHRESPONSE);
    List<BundleEntryComponent> e = response.getEntry();
    assertThat(e).hasSize(6);
    assertThat(e.get(0).getResponse().getStatus()).startsWith("200");
    // HAPI runs a bundle's writes before its reads: the read sees the update of entry 4.
    assertThat(e.get(0).getResource().getMeta().getVersionId()).isEqualTo("2");
    assertThat(e.get(1).getResponse().getStatus()).startsWith("404");
    assertThat(e.get(2).getResponse().getStatus()).startsWith("201");
    assertThat(e.get(2).getResponse().getEtag()).as("JPA writes the bare version").isEqualTo("1");
    assertThat(e.get(2).getResponse().getLocation())
        .contains("Observation/" + fresh + "/_history/1");
    assertThat(e.get(3).getResponse().getStatus()).startsWith("409");
    assertThat(e.get(3).getResponse().getOutcome()).isNotNull();
    assertThat(e.get(4).getResponse().getStatus()).startsWith("200");
    assertThat(e.get(4).getResponse().getEtag()).isEqualTo("2");
    Bundle search = (Bundle) e.get(5).getResource();
    assertThat(search.getEntry())
        .extracting(x -> x.getResource().getIdElement().getIdPart())
        .containsExactly(patientId);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void aTransactionWithAFailingEntryWritesNothingAndResolvesPlaceholders(String name, String base)
      throws IOException {
    String existing = unique("obs");
    http.put(base + "/Observation/" + existing, observation(existing, 70));
    String fresh = unique("obs");
    Bundle failing = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    put(failing, observation(fresh, 60));
    put(failing, observation(existing, 71)).setIfMatch("W/\"7\"");

    HttpResponse<String> refused = http.post(base, failing);

    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(http.get(base + "/Observation/" + fresh).statusCode()).isEqualTo(404);

    String deviceId = unique("dev");
    Bundle linked = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    Device device = new Device();
    device.setId(deviceId);
    device.setPatient(new Reference("urn:uuid:4a1b9a35-7a1e-4d3c-9a43-2b2a5f5e2c11"));
    put(linked, device);
    Patient p = new Patient();
    p.addIdentifier().setSystem(SYSTEM).setValue(unique("mrn"));
    linked
        .addEntry()
        .setFullUrl("urn:uuid:4a1b9a35-7a1e-4d3c-9a43-2b2a5f5e2c11")
        .setResource(p)
        .getRequest()
        .setMethod(HTTPVerb.POST)
        .setUrl("Patient");

    Bundle answer = http.parse(Bundle.class, http.post(base, linked));

    assertThat(answer.getType()).isEqualTo(Bundle.BundleType.TRANSACTIONRESPONSE);
    assertThat(answer.getEntry())
        .extracting(x -> x.getResponse().getStatus())
        .allMatch(s -> s.startsWith("201"));
    String patientId =
        new org.hl7.fhir.r4.model.IdType(answer.getEntry().get(1).getResponse().getLocation())
            .getIdPart();
    Device stored = http.parse(Device.class, http.get(base + "/Device/" + deviceId));
    assertThat(stored.getPatient().getReferenceElement().getIdPart()).isEqualTo(patientId);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servers")
  void answersMetadata(String name, String base) throws IOException {
    HttpResponse<String> r = http.get(base + "/metadata");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(http.parse(CapabilityStatement.class, r).getFhirVersion().toCode())
        .isEqualTo("4.0.1");
  }

  @Test
  void ifNoneMatchOnAnExistingResourceIsRefusedWithPreconditionFailedHereWhileJpaIgnoresIt()
      throws IOException {
    for (String base : List.of(MEMORY.baseUrl(), HapiFhirServer.shared().baseUrl())) {
      String id = unique("obs");
      String url = base + "/Observation/" + id;
      http.put(url, observation(id, 70));
      HttpResponse<String> r = http.put(url, observation(id, 71), "If-None-Match", "*");
      System.out.println(base + " If-None-Match: * on an existing resource: " + r.statusCode());
      if (base.equals(MEMORY.baseUrl())) {
        assertThat(r.statusCode()).isEqualTo(412);
        assertThat(etag(http.get(url))).isEqualTo("W/\"1\"");
      }
    }
  }

  @Test
  void countsRequestsByMethodAndForgetsEverythingOnReset() throws IOException {
    MEMORY.resetCounts();
    String id = unique("obs");
    http.put(MEMORY.baseUrl() + "/Observation/" + id, observation(id, 70));
    http.get(MEMORY.baseUrl() + "/Observation/" + id);
    assertThat(MEMORY.requestCount()).isEqualTo(2);
    assertThat(MEMORY.requestCount("put")).isEqualTo(1);
    assertThat(MEMORY.count("Observation")).isPositive();

    MEMORY.reset();

    assertThat(MEMORY.count("Observation")).isZero();
    assertThat(http.get(MEMORY.baseUrl() + "/Observation/" + id).statusCode()).isEqualTo(404);
  }

  private static Bundle.BundleEntryRequestComponent put(
      Bundle bundle, org.hl7.fhir.r4.model.Resource r) {
    String url = r.fhirType() + "/" + r.getIdElement().getIdPart();
    return bundle
        .addEntry()
        .setFullUrl(url)
        .setResource(r)
        .getRequest()
        .setMethod(HTTPVerb.PUT)
        .setUrl(url);
  }
}
