package io.iomt.service;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iomt.core.observation.ResourceIds;
import io.iomt.testkit.Await;
import io.iomt.testkit.FhirObservations;
import io.iomt.testkit.HapiFhirServer;
import io.iomt.testkit.SampleMessages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connectors added, swapped and removed while the service runs: the service in-process on its
 * embedded broker, the connector made from mapping content as the management API makes it, and
 * Observations read back from a real HAPI FHIR JPA server.
 */
class ConnectorRuntimeIT {
  private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  private static final String OLD_CODE = "8867-4";
  private static final String NEW_CODE = "8889-8";

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static HapiFhirServer fhir;
  static RunningService service;
  static ConnectorRuntime runtime;
  static ServiceConfiguration config;

  @BeforeAll
  static void start() throws Exception {
    fhir = HapiFhirServer.shared();
    service =
        RunningService.start(
            RunningService.defaults(Files.createTempDirectory("iomt-runtime-it"), fhir.baseUrl()));
    runtime = service.context.getBean(ConnectorRuntime.class);
    config = service.context.getBean(ServiceConfiguration.class);
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
  }

  /** A connector as the management API makes it, writing heart rates with {@code code}. */
  static ServiceConfiguration.ConnectorDefinition definition(String name, String code)
      throws Exception {
    IomtProperties.Connector c = new IomtProperties.Connector();
    c.getFhir().setUrl(fhir.baseUrl());
    c.setPartitions(2);
    c.getFlush().setMaxEvents(500);
    c.getFlush().setMaxAge(Duration.ofMillis(300));
    String fhirMapping =
        Files.readString(RunningService.SAMPLES.resolve("fhir-mapping.json"))
            .replace("\"code\": \"" + OLD_CODE + "\"", "\"code\": \"" + code + "\"");
    ServiceConfiguration.CheckedConnector checked =
        config.connector(
            name,
            c,
            new ServiceConfiguration.MappingContent(
                "properties.deviceMapping.content",
                Files.readAllBytes(RunningService.SAMPLES.resolve("device-mapping.json"))),
            new ServiceConfiguration.MappingContent(
                "properties.fhirMapping.content", fhirMapping.getBytes(StandardCharsets.UTF_8)),
            runtime.definitions());
    assertThat(checked).isInstanceOf(ServiceConfiguration.CheckedConnector.Valid.class);
    return ((ServiceConfiguration.CheckedConnector.Valid) checked).definition();
  }

  /** Heart rates of {@code device} at seconds {@code from} to {@code from + count - 1}. */
  static String messages(String device, int from, int count) {
    List<String> out = new ArrayList<>();
    for (int s = from; s < from + count; s++) {
      out.add(SampleMessages.heartRate(device, "p-" + device, T0.plusSeconds(s), 60 + s % 40));
    }
    return "[" + String.join(",", out) + "]";
  }

  static void ingest(String connector, String body) throws Exception {
    HttpResponse<String> r = service.post("/ingest/" + connector, body, RunningService.API_KEY);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
  }

  /** The device's Observations with this LOINC code. */
  static int count(String device, String code) {
    return total(device, "&code=" + URLEncoder.encode("http://loinc.org|" + code, UTF_8));
  }

  /** The device's Observations at this instant (HAPI pages searches: counts, not lists). */
  static int countAt(String device, Instant time) {
    return total(device, "&date=" + URLEncoder.encode(time.toString(), UTF_8));
  }

  private static int total(String device, String parameters) {
    String url =
        fhir.baseUrl()
            + "/Observation?device="
            + URLEncoder.encode("Device/" + ResourceIds.of("Device", null, device), UTF_8)
            + parameters
            + "&_summary=count";
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Accept", "application/fhir+json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Matcher m = Pattern.compile("\"total\"\\s*:\\s*(\\d+)").matcher(r.body());
      assertThat(m.find()).as(r.body()).isTrue();
      return Integer.parseInt(m.group(1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void awaitCount(String device, String code, int expected) {
    Await.atMost(Duration.ofSeconds(90))
        .every(Duration.ofMillis(300))
        .until(
            "Observations of " + device + " with code " + code + " (" + expected + ")",
            () -> count(device, code),
            n -> n >= expected);
  }

  @Test
  void aConnectorAddedAtRunTimeConvertsAndASwappedMappingTakesOverWithoutLossOrDuplicates()
      throws Exception {
    String name = "live-" + UUID.randomUUID().toString().substring(0, 6);
    String device = name + "-dev";
    runtime.run(definition(name, OLD_CODE));
    assertThat(runtime.fromConfiguration(name)).isFalse();
    assertThat(runtime.definitions())
        .extracting(ServiceConfiguration.ConnectorDefinition::name)
        .containsExactly("test", name);

    ingest(name, messages(device, 0, 20));
    awaitCount(device, OLD_CODE, 20);

    // In flight while the swap happens: each is converted once, under one of the two mappings.
    ingest(name, messages(device, 20, 20));
    runtime.run(definition(name, NEW_CODE));
    ingest(name, messages(device, 40, 20));

    Await.atMost(Duration.ofSeconds(90))
        .every(Duration.ofMillis(300))
        .until(
            "all 60 Observations of " + device,
            () -> FhirObservations.countOfDevice(fhir.baseUrl(), device),
            n -> n >= 60);
    int old = count(device, OLD_CODE);
    int updated = count(device, NEW_CODE);
    assertThat(old + updated).as("every message converted once").isEqualTo(60);
    assertThat(old)
        .as("the 20 converted before the swap stay as they were")
        .isGreaterThanOrEqualTo(20);
    assertThat(updated)
        .as("the 20 sent after the swap use the new mapping")
        .isGreaterThanOrEqualTo(20);
    for (int second = 0; second < 60; second++) {
      assertThat(countAt(device, T0.plusSeconds(second)))
          .as("Observations at second %d: written once", second)
          .isEqualTo(1);
    }
    assertThat(runtime.statuses().get(name)).isNotEmpty();
  }

  @Test
  void aRemovedConnectorStopsAndIngestNoLongerKnowsIt() throws Exception {
    String name = "gone-" + UUID.randomUUID().toString().substring(0, 6);
    String device = name + "-dev";
    runtime.run(definition(name, OLD_CODE));
    ingest(name, messages(device, 0, 5));
    awaitCount(device, OLD_CODE, 5);

    runtime.remove(name);

    assertThat(runtime.definition(name)).isEmpty();
    assertThat(runtime.statuses()).doesNotContainKey(name);
    HttpResponse<String> refused =
        service.post("/ingest/" + name, messages(device, 5, 1), RunningService.API_KEY);
    assertThat(refused.statusCode()).isEqualTo(404);
    assertThat(refused.body()).contains("UnknownConnector");
    String prometheus = service.get("/actuator/prometheus", RunningService.API_KEY).body();
    assertThat(prometheus)
        .as("its stage gauges and counters are gone")
        .doesNotContain("connector=\"" + name + "\"");
    assertThat(count(device, OLD_CODE)).isEqualTo(5);
  }

  @Test
  void connectorsOfTheConfigurationFileCannotBeReplacedOrRemovedAtRunTime() throws Exception {
    var replacement = definition("test", NEW_CODE);
    assertThatThrownBy(() -> runtime.run(replacement))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("configuration file");
    assertThatThrownBy(() -> runtime.remove("test")).isInstanceOf(IllegalArgumentException.class);
    assertThat(runtime.fromConfiguration("test")).isTrue();
    assertThat(runtime.statuses()).containsKey("test");
  }
}
