package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.pipeline.KafkaClients;
import io.iomt.testkit.Await;
import io.iomt.testkit.HapiFhirServer;
import io.iomt.testkit.SampleMessages;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
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
    Map<String, Object> props = RunningService.defaults(dataDir, fhir.baseUrl());
    // A second connector for IoT Central data exports, with the same FHIR mapping.
    props.put(
        "iomt.connectors.central.device-mapping",
        Path.of("src/test/resources/iot-central/device-mapping.json").toAbsolutePath().toString());
    props.put(
        "iomt.connectors.central.fhir-mapping", props.get("iomt.connectors.test.fhir-mapping"));
    props.put("iomt.connectors.central.fhir.url", fhir.baseUrl());
    props.put("iomt.connectors.central.flush.max-age", "500ms");
    props.put("iomt.ingest.max-message-size", "2KB");
    props.put("iomt.ingest.max-request-size", "64KB");
    service = RunningService.start(props);
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
  }

  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  /** A heart rate of patient {@code p-<device>} at {@code second} (0 to 59) after 10:00. */
  static String heartRate(String device, int second, int value) {
    return SampleMessages.heartRate(device, "p-" + device, T0.plusSeconds(second), value);
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

  @Test
  void anIotCentralDataExportIsKeyedByItsDeviceIdAndBecomesAnObservation() throws Exception {
    String device = "central-" + UUID.randomUUID().toString().substring(0, 8);
    String export =
        """
        {"applicationId":"1dffa667-9bee-4f16-b243-25ad4151475e","messageSource":"telemetry",
         "deviceId":"%s","schema":"default@v1","templateId":"urn:qugj6vbw5:___qbj_27r",
         "enqueuedTime":"2026-03-01T11:00:00.000Z","telemetry":{"HeartRate":88},
         "messageProperties":{},"enrichments":{"patientId":"p-%s"}}"""
            .formatted(device, device);
    assertThat(service.ingest("central", export).statusCode()).isEqualTo(202);

    assertThat(FhirCounts.awaitObservations(fhir.baseUrl(), device, 1)).isEqualTo(1);
    ConsumerRecord<byte[], byte[]> record = lastRecord("central-events", device);
    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(device);
  }

  @Test
  void ingestWithoutOrWithAWrongApiKeyIsRefusedWith401AndAJsonReason() throws Exception {
    HttpResponse<String> none = service.post("/ingest/test", heartRate("x", 0, 1), null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(none.body())
        .isEqualTo(
            "{\"code\":\"Unauthorized\",\"message\":\"Send an API key in the X-API-Key header"
                + " or as 'Authorization: Bearer <key>'.\"}");
    HttpResponse<String> wrong =
        service.post("/ingest/test", heartRate("x", 0, 1), "wrong-key-wrong-key-wrong");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("\"code\":\"Unauthorized\"").doesNotContain("wrong-key");
    assertThat(service.get("/actuator/prometheus", null).statusCode())
        .as("metrics need the key too")
        .isEqualTo(401);
  }

  @Test
  void refusedRequestsSayWhyAndWriteNothing() throws Exception {
    long before = endOffsets("test-events");
    String big = "{\"deviceId\":\"d\",\"pad\":\"" + "x".repeat(3000) + "\"}";
    assertRefused(service.ingest("test", big), 413, "MessageTooLarge", "the limit is 2048 bytes");
    String ok = heartRate("never-written", 0, 60);
    assertRefused(
        service.ingest("test", "[" + ok + "," + big + "]"),
        413,
        "MessageTooLarge",
        "Message 1 of the array is 3");
    String many = "[" + (ok + ",").repeat(1000) + ok + "]";
    assertRefused(service.ingest("test", many), 413, "RequestTooLarge", "the limit is 65536 bytes");
    assertRefused(
        service.ingest("test", "{\"heartRate\": 7"), 400, "InvalidJson", "not JSON (line 1");
    assertRefused(service.ingest("test", "[]"), 400, "EmptyBatch", "no messages");
    assertRefused(service.ingest("test", ""), 400, "EmptyBody", "empty");
    assertRefused(
        service.ingest("test", "[".repeat(1200) + "]".repeat(1200)),
        400,
        "InvalidJson",
        "max-nesting-depth 1000");
    assertRefused(service.ingest("nope", ok), 404, "UnknownConnector", "No connector named 'nope'");
    assertThat(endOffsets("test-events"))
        .as("nothing of a refused request is written")
        .isEqualTo(before);
  }

  @Test
  void prometheusShowsTheMedTechMetricsAndReadinessReportsBrokerFhirAndStages() throws Exception {
    String device = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
    service.ingest("test", heartRate(device, 0, 70));
    service.ingest("test", "{\"deviceId\":\"" + device + "\",\"unmapped\":true}");
    FhirCounts.awaitObservations(fhir.baseUrl(), device, 1);

    // The lag gauge appears after the first refresh (every 10 s).
    String metrics =
        Await.atMost(Duration.ofSeconds(60))
            .every(Duration.ofMillis(500))
            .until(
                "the consumer lag gauge in /actuator/prometheus",
                () -> service.read("/actuator/prometheus", RunningService.API_KEY).body(),
                m -> m.contains("iomt_consumer_lag_records{"));
    assertThat(metrics)
        .contains("iomt_incoming_messages_total{application=\"iomt-connector\",connector=\"test\"}")
        .contains("iomt_normalized_messages_total{")
        .contains("iomt_measurements_total{")
        .contains("iomt_measurement_groups_total{")
        .contains(
            "iomt_fhir_resources_saved_total{application=\"iomt-connector\",connector=\"test\",outcome=\"created\"}")
        .contains("iomt_normalize_latency_seconds_count{")
        .contains("iomt_group_latency_seconds_bucket{")
        .contains("iomt_event_freshness_seconds{")
        .contains("iomt_ingest_messages_total{")
        .containsPattern(
            "iomt_consumer_lag_records\\{application=\"iomt-connector\",connector=\"test\","
                + "stage=\"group\"} \\d")
        .containsPattern(
            "iomt_group_buffered_bytes\\{application=\"iomt-connector\",connector=\"test\"} \\d")
        .containsPattern(
            "iomt_group_flushes_in_flight\\{application=\"iomt-connector\",connector=\"test\"}"
                + " \\d")
        .contains(
            "iomt_stage_state{application=\"iomt-connector\",connector=\"test\",stage=\"group\","
                + "state=\"running\"} 1.0")
        .contains(
            "iomt_stage_state{application=\"iomt-connector\",connector=\"test\",stage=\"normalize\","
                + "state=\"failed\"} 0.0");

    HttpResponse<String> ready = service.get("/actuator/health/readiness", RunningService.API_KEY);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body())
        .contains("\"broker\":{\"status\":\"UP\"")
        .contains("\"stages\":{\"status\":\"UP\"");
    // Delivery depends on FHIR answering GET /metadata within 5 s and on no write being blocked:
    // on a loaded machine HAPI may miss that once, so wait for it to settle.
    HttpResponse<String> delivery =
        Await.atMost(Duration.ofMinutes(2))
            .every(Duration.ofMillis(500))
            .untilSatisfies(
                "/actuator/health/delivery answering 200",
                () -> service.read("/actuator/health/delivery", RunningService.API_KEY),
                r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
    assertThat(delivery.body())
        .contains("\"broker\":{\"status\":\"UP\"")
        .contains("\"fhir\":{\"status\":\"UP\"")
        .contains("\"connectors\":{\"status\":\"UP\"")
        .contains("\"normalize\":\"running\"");
    assertThat(service.get("/actuator/health/readiness", null).body())
        .as("without a key: the status only")
        .isEqualTo("{\"status\":\"UP\"}");
    assertThat(service.get("/actuator/health/liveness", null).body()).contains("\"status\":\"UP\"");
  }

  private static void assertRefused(HttpResponse<String> r, int status, String code, String text) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(r.body()).startsWith("{\"code\":\"" + code + "\",\"message\":\"").contains(text);
  }

  private static KafkaClients clients() {
    return service.bean(KafkaRuntime.class).clients();
  }

  private static long endOffsets(String topic) throws Exception {
    try (Admin admin = clients().admin()) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (var p :
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()) {
        latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
      }
      return admin.listOffsets(latest).all().get().values().stream()
          .mapToLong(i -> i.offset())
          .sum();
    }
  }

  private static ConsumerRecord<byte[], byte[]> lastRecord(String topic, String containing) {
    try (KafkaConsumer<byte[], byte[]> c = clients().consumer("reader-" + UUID.randomUUID())) {
      c.subscribe(List.of(topic));
      // The poll itself waits; no pause between two polls.
      return Await.atMost(Duration.ofSeconds(30))
          .every(Duration.ofMillis(1))
          .until(
              "a record containing " + containing + " in " + topic,
              () -> {
                ConsumerRecord<byte[], byte[]> found = null;
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(250))) {
                  if (new String(r.value(), StandardCharsets.UTF_8).contains(containing)) {
                    found = r;
                  }
                }
                return found;
              },
              Objects::nonNull);
    }
  }
}
