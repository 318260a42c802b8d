package io.iomt.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectingProxyIT {

  private final FhirHttp http = new FhirHttp();
  private final HapiFhirServer server = HapiFhirServer.shared();
  private FaultInjectingProxy proxy;

  @BeforeEach
  void startProxy() {
    proxy = FaultInjectingProxy.start(server.baseUrl());
  }

  @AfterEach
  void closeProxy() {
    proxy.close();
  }

  @Test
  void forwardsVersionedUpdatesWithTheirHeadersAndPointsLocationsAtTheProxy() throws IOException {
    String id = "p-" + UUID.randomUUID();
    String url = proxy.baseUrl() + "/Patient/" + id;

    HttpResponse<String> created = http.put(url, patient(id));
    Patient changed = patient(id).setActive(false);
    HttpResponse<String> updated = http.put(url, changed, "If-Match", "W/\"1\"");
    HttpResponse<String> stale = http.put(url, patient(id), "If-Match", "W/\"1\"");
    HttpResponse<String> posted = http.post(proxy.baseUrl() + "/Patient", new Patient());

    assertThat(proxy.baseUrl()).endsWith("/fhir").isNotEqualTo(server.baseUrl());
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Content-Location"))
        .hasValue(proxy.baseUrl() + "/Patient/" + id + "/_history/1");
    assertThat(posted.statusCode()).isEqualTo(201);
    assertThat(posted.headers().firstValue("Location").orElseThrow())
        .startsWith(proxy.baseUrl() + "/Patient/");
    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(updated.headers().firstValue("ETag")).hasValue("W/\"2\"");
    assertThat(stale.statusCode()).isIn(409, 412);
    assertThat(http.parse(Patient.class, http.get(url)).getMeta().getVersionId()).isEqualTo("2");
  }

  @Test
  void forwardsSearchQueriesAndWritesLinksThatNameTheProxy() throws IOException {
    String id = "p-" + UUID.randomUUID();
    http.put(proxy.baseUrl() + "/Patient/" + id, patient(id));

    Bundle found =
        http.parse(Bundle.class, http.get(proxy.baseUrl() + "/Patient?_id=" + id + "&_count=1"));

    assertThat(found.getEntry()).hasSize(1);
    assertThat(found.getLink("self").getUrl()).startsWith(proxy.baseUrl() + "/Patient?");
    assertThat(found.getEntryFirstRep().getFullUrl()).isEqualTo(proxy.baseUrl() + "/Patient/" + id);
  }

  @Test
  void injectsA429WithRetryAfterThenPassesTheNextRequest() throws IOException {
    proxy.failNext(1, 429, Duration.ofSeconds(2));
    String url = proxy.baseUrl() + "/metadata";

    HttpResponse<String> throttled = http.get(url);
    HttpResponse<String> passed = http.get(url);

    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(http.parse(OperationOutcome.class, throttled).getIssueFirstRep().getCode())
        .isEqualTo(OperationOutcome.IssueType.THROTTLED);
    assertThat(passed.statusCode()).isEqualTo(200);
    assertThat(proxy.faultCount()).isEqualTo(1);
    assertThat(proxy.requestCount()).isEqualTo(1);
  }

  @Test
  void rewritesTheBodyOfTheNextResponseAndKeepsItsStatusAndHeaders() throws IOException {
    String id = "p-" + UUID.randomUUID();
    String url = proxy.baseUrl() + "/Patient/" + id;
    http.put(url, patient(id));
    proxy.rewriteNext(1, body -> body.replace("\"versionId\":\"1\"", "\"versionId\":\"9\""));

    HttpResponse<String> rewritten = http.get(url);
    HttpResponse<String> plain = http.get(url);

    assertThat(rewritten.statusCode()).isEqualTo(200);
    assertThat(rewritten.headers().firstValue("ETag")).hasValue("W/\"1\"");
    assertThat(http.parse(Patient.class, rewritten).getMeta().getVersionId()).isEqualTo("9");
    assertThat(http.parse(Patient.class, plain).getMeta().getVersionId()).isEqualTo("1");
    assertThat(proxy.requestCount()).isEqualTo(3);
    assertThat(proxy.faultCount()).isZero();
  }

  @Test
  void consumesScheduledFaultsInOrder() throws IOException {
    proxy.failNext(2, 503, null);
    proxy.delayNext(1, Duration.ofMillis(300));
    String url = proxy.baseUrl() + "/metadata";

    int first = http.get(url).statusCode();
    int second = http.get(url).statusCode();
    long started = System.nanoTime();
    int third = http.get(url).statusCode();
    long thirdMillis = (System.nanoTime() - started) / 1_000_000;

    assertThat(new int[] {first, second, third}).containsExactly(503, 503, 200);
    assertThat(thirdMillis).isGreaterThanOrEqualTo(300);
  }

  @Test
  void countsForwardedRequestsByMethod() throws IOException {
    String id = "p-" + UUID.randomUUID();
    Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
    batch
        .addEntry()
        .setResource(patient(id))
        .getRequest()
        .setMethod(Bundle.HTTPVerb.PUT)
        .setUrl("Patient/" + id);
    http.get(proxy.baseUrl() + "/metadata");
    proxy.resetCounts();

    http.post(proxy.baseUrl(), batch);
    http.get(proxy.baseUrl() + "/Patient/" + id);
    http.get(proxy.baseUrl() + "/Patient/" + id);

    assertThat(proxy.requestCount()).isEqualTo(3);
    assertThat(proxy.requestCount("POST")).isEqualTo(1);
    assertThat(proxy.requestCount("get")).isEqualTo(2);
    assertThat(proxy.requests().get(0))
        .isEqualTo(new FaultInjectingProxy.ForwardedRequest("POST", "/fhir", 200));
  }

  @Test
  void dropsConnectionsWithoutForwardingOrAfterForwarding() {
    String dropped = "p-" + UUID.randomUUID();
    String lost = "p-" + UUID.randomUUID();
    proxy.dropNext(1);
    proxy.loseResponseNext(1);

    assertThatThrownBy(() -> http.put(proxy.baseUrl() + "/Patient/" + dropped, patient(dropped)))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> http.put(proxy.baseUrl() + "/Patient/" + lost, patient(lost)))
        .isInstanceOf(IOException.class);

    assertThat(statusOf(server.baseUrl() + "/Patient/" + dropped)).isEqualTo(404);
    assertThat(statusOf(server.baseUrl() + "/Patient/" + lost)).isEqualTo(200);
    assertThat(proxy.faultCount()).isEqualTo(1);
    assertThat(proxy.requestCount("PUT")).isEqualTo(1);
  }

  @Test
  void answersBadGatewayWhileTheUpstreamIsDown() throws IOException {
    server.stop();
    int status;
    try {
      status = http.get(proxy.baseUrl() + "/metadata").statusCode();
    } finally {
      server.start();
    }

    assertThat(status).isEqualTo(502);
    assertThat(http.get(proxy.baseUrl() + "/metadata").statusCode()).isEqualTo(200);
  }

  private int statusOf(String url) {
    try {
      return http.get(url).statusCode();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Patient patient(String id) {
    Patient patient = new Patient().setActive(true);
    patient.setId(id);
    return patient;
  }
}
