package io.iomt.service;

import static io.iomt.service.ManagementApiIT.CONTRIBUTOR_KEY;
import static io.iomt.service.ManagementApiIT.READER_KEY;
import static io.iomt.service.ManagementApiIT.WS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.core.observation.ResourceIds;
import io.iomt.pipeline.Connector;
import io.iomt.pipeline.KafkaClients;
import io.iomt.service.ConsoleApi.Answer;
import io.iomt.testkit.Await;
import io.iomt.testkit.FhirObservations;
import io.iomt.testkit.HapiFhirServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's dead-letter API end to end, with one service (embedded KRaft broker) writing to the
 * real HAPI FHIR server: messages that fail become dead letters, are browsed newest first with each
 * filter and the cursor, and, after the connector's mapping is fixed through the management API,
 * are replayed into the Observation they should have been, exactly once however often replayed.
 */
class DeadLetterApiIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CONNECTOR = "myworkspace-dlq";
  static final String DEVICE = "dlq-monitor-7";
  static final Duration WAIT = Duration.ofSeconds(90);

  static HapiFhirServer fhir;
  static RunningService service;
  static ArmClient arm;
  static Connector.Topics topics;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    fhir = HapiFhirServer.shared();
    service =
        RunningService.start(
            ManagementApiIT.managementService(
                Files.createTempDirectory("iomt-dead-letter-it"), fhir.baseUrl()));
    arm = ArmClient.withKey(service.baseUrl, CONTRIBUTOR_KEY);
    arm.awaitReady();
    ManagementApiIT.createConnector(
        arm, WS, "dlq", ManagementApiIT.ingestConnector(1), fhir.baseUrl(), quantityDestination());
    topics =
        service
            .bean(ConnectorRuntime.class)
            .definition(CONNECTOR)
            .orElseThrow()
            .settings()
            .topics();
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
  }

  /** The contract's destination writing one Quantity Observation per reading. */
  static String quantityDestination() {
    ObjectNode body =
        ArmClient.json(ArmClient.resource("arm-examples/iotconnector_fhirdestination_Create.json"));
    ObjectNode template =
        (ObjectNode) body.at("/properties/fhirMapping/content/template/0/template");
    template.put("periodInterval", 0);
    template
        .putObject("value")
        .put("valueType", "Quantity")
        .put("valueName", "hr")
        .put("unit", "count/min")
        .put("system", "http://unitsofmeasure.org")
        .put("code", "/min");
    return body.toString();
  }

  /** The connector with its device mapping reading the time from {@code timeField}. */
  static String connectorReadingTimeFrom(String timeField) {
    ObjectNode body = ArmClient.json(ManagementApiIT.ingestConnector(1));
    ((ObjectNode) body.at("/properties/deviceMapping/content/template/0/template"))
        .put("timestampExpression", "$." + timeField);
    return body.toString();
  }

  @Test
  void deadLettersAreBrowsedFilteredAndReplayedIntoExactlyOneObservation() throws Exception {
    String malformed = "{\"deviceid\": \"" + DEVICE + "\", heartrate 80";
    String mismatched =
        "{\"deviceid\":\""
            + DEVICE
            + "\",\"patientid\":\"p-"
            + DEVICE
            + "\",\"time\":\"2026-03-01T10:00:05Z\",\"heartrate\":77}";
    KafkaClients clients = service.bean(KafkaClients.class);
    try (KafkaProducer<byte[], byte[]> producer = clients.producer()) {
      // 1. A message that is not JSON, and one whose time is not where the mapping looks.
      send(producer, null, malformed, null);
      JsonNode malformedLetter = awaitDeadLetters(1).get(0);
      send(producer, "k-" + DEVICE, mismatched, "device-model");
      List<JsonNode> two = awaitDeadLetters(2);
      JsonNode mismatchLetter = two.get(0);

      assertThat(malformedLetter.path("error").asText()).isEqualTo("InvalidDataFormatException");
      assertThat(malformedLetter.path("stage").asText()).isEqualTo("Normalization");
      assertThat(malformedLetter.path("body").asText()).isEqualTo(malformed);
      assertThat(malformedLetter.path("bodyEncoding").asText()).isEqualTo("utf-8");
      assertThat(malformedLetter.path("source").path("topic").asText()).isEqualTo(topics.source());
      assertThat(mismatchLetter.path("body").asText()).isEqualTo(mismatched);
      assertThat(mismatchLetter.path("key").asText()).isEqualTo("k-" + DEVICE);
      assertThat(mismatchLetter.path("properties").path("device-model").asText()).isEqualTo("X1");
      assertThat(mismatchLetter.path("message").asText()).isNotBlank();
      assertThat(mismatchLetter.path("replayOf").isNull()).isTrue();
      String mismatchError = mismatchLetter.path("error").asText();
      assertThat(mismatchError).isNotEqualTo("InvalidDataFormatException").isNotBlank();

      // The source topic's recent messages, newest first, as a reader sees them.
      JsonNode recent = get("/connectors/" + CONNECTOR + "/messages?limit=2", READER_KEY).json();
      assertThat(recent).hasSize(2);
      assertThat(recent.get(0).path("body").asText()).isEqualTo(mismatched);
      assertThat(recent.get(0).path("properties").path("device-model").asText()).isEqualTo("X1");
      assertThat(recent.get(1).path("body").asText()).isEqualTo(malformed);

      // 2. A message at the size limit: its dead letter is cut to fit.
      byte[] big = new byte[clients.maxRequestSize() - 300];
      java.util.Arrays.fill(big, (byte) 'x');
      producer.send(new ProducerRecord<>(topics.source(), null, null, big)).get();
      List<JsonNode> three = awaitDeadLetters(3);
      JsonNode bigLetter = three.get(0);
      assertThat(bigLetter.path("truncated").asBoolean()).isTrue();
      assertThat(bigLetter.path("body").asText().length()).isLessThan(big.length);

      // Newest first, one page at a time with the cursor.
      List<String> paged = new ArrayList<>();
      String next = null;
      do {
        JsonNode page =
            get(
                    "/connectors/"
                        + CONNECTOR
                        + "/dead-letters?limit=1"
                        + (next == null ? "" : "&before=" + next),
                    READER_KEY)
                .json();
        page.path("items").forEach(i -> paged.add(i.path("id").asText()));
        next = page.path("next").isNull() ? null : page.path("next").asText();
      } while (next != null);
      assertThat(paged)
          .containsExactly(
              bigLetter.path("id").asText(),
              mismatchLetter.path("id").asText(),
              malformedLetter.path("id").asText());

      // Each filter.
      assertThat(ids("error=" + mismatchError)).containsExactly(mismatchLetter.path("id").asText());
      assertThat(ids("error=InvalidDataFormatException"))
          .containsExactly(bigLetter.path("id").asText(), malformedLetter.path("id").asText());
      assertThat(ids("device=p-" + DEVICE)).containsExactly(mismatchLetter.path("id").asText());
      String at = mismatchLetter.path("time").asText();
      assertThat(ids("from=" + at + "&to=" + at))
          .containsExactly(mismatchLetter.path("id").asText());
      assertThat(ids("to=" + malformedLetter.path("time").asText()))
          .containsExactly(malformedLetter.path("id").asText());
      assertThat(get("/connectors/" + CONNECTOR + "/dead-letters?from=yesterday", READER_KEY))
          .satisfies(r -> assertThat(r.status()).isEqualTo(400))
          .satisfies(
              r -> assertThat(r.json().at("/error/code").asText()).isEqualTo("InvalidRequest"));

      // 3. Roles: a reader browses but does not replay; no key, no access; unknown connector.
      String replayIds = "{\"ids\":[\"" + malformedLetter.path("id").asText() + "\"]}";
      Answer refused =
          post("/connectors/" + CONNECTOR + "/dead-letters/replay", replayIds, READER_KEY);
      assertThat(refused.status()).isEqualTo(403);
      assertThat(get("/connectors/" + CONNECTOR + "/dead-letters", null).status()).isEqualTo(401);
      Answer unknown = get("/connectors/nobody/dead-letters", READER_KEY);
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.json().at("/error/code").asText()).isEqualTo("ConnectorNotFound");

      // 4. The truncated one is skipped; the malformed one fails again, and says so.
      Answer skipped =
          post(
              "/connectors/" + CONNECTOR + "/dead-letters/replay",
              "{\"ids\":[\"" + bigLetter.path("id").asText() + "\"]}",
              CONTRIBUTOR_KEY);
      assertThat(skipped.status()).isEqualTo(202);
      assertThat(skipped.json().path("replayed")).isEmpty();
      assertThat(skipped.json().at("/skipped/0/reason").asText()).isEqualTo("truncated");

      Answer again =
          post("/connectors/" + CONNECTOR + "/dead-letters/replay", replayIds, CONTRIBUTOR_KEY);
      assertThat(again.status()).isEqualTo(202);
      JsonNode failed = awaitReplay(again.json().path("replay").asText());
      assertThat(failed.at("/items/0/status").asText()).isEqualTo("failed");
      assertThat(failed.at("/items/0/error").asText()).isEqualTo("InvalidDataFormatException");
      JsonNode failure = awaitDeadLetters(4).get(0);
      assertThat(failure.path("replayOf").asText()).isEqualTo(malformedLetter.path("id").asText());
      assertThat(failure.path("body").asText()).isEqualTo(malformed);
    }

    // 5. Fix the mapping through the management API, replay by filter: one Observation.
    ArmClient.Response fix = arm.put(WS + "/iotconnectors/dlq", connectorReadingTimeFrom("time"));
    assertThat(fix.status()).as(fix.raw().body()).isEqualTo(200);
    assertThat(arm.awaitOperation(fix, ManagementApiIT.OPERATION).path("status").asText())
        .isEqualTo("Succeeded");
    assertThat(FhirObservations.countOfDevice(fhir.baseUrl(), DEVICE)).isZero();

    String byFilter = "{\"filter\":{\"device\":\"p-" + DEVICE + "\"}}";
    Answer first =
        post("/connectors/" + CONNECTOR + "/dead-letters/replay", byFilter, CONTRIBUTOR_KEY);
    assertThat(first.status()).isEqualTo(202);
    assertThat(first.json().path("replayed")).hasSize(1);
    JsonNode processed = awaitReplay(first.json().path("replay").asText());
    assertThat(processed.at("/items/0/status").asText()).isEqualTo("processed");
    assertThat(FhirObservations.countOfDevice(fhir.baseUrl(), DEVICE)).isEqualTo(1);
    assertThat(heartRates()).containsExactly(77.0);

    // 6. The same dead letter once more: processed, and FHIR gains nothing.
    Answer second =
        post("/connectors/" + CONNECTOR + "/dead-letters/replay", byFilter, CONTRIBUTOR_KEY);
    assertThat(second.json().path("replayed")).isEqualTo(first.json().path("replayed"));
    assertThat(awaitReplay(second.json().path("replay").asText()).at("/items/0/status").asText())
        .isEqualTo("processed");
    assertThat(FhirObservations.countOfDevice(fhir.baseUrl(), DEVICE)).isEqualTo(1);
    assertThat(heartRates()).containsExactly(77.0);
    // no new dead letter came of either replay
    assertThat(deadLetters()).hasSize(4);
  }

  static void send(KafkaProducer<byte[], byte[]> producer, String key, String body, String header)
      throws Exception {
    ProducerRecord<byte[], byte[]> r =
        new ProducerRecord<>(
            topics.source(),
            null,
            key == null ? null : key.getBytes(StandardCharsets.UTF_8),
            body.getBytes(StandardCharsets.UTF_8));
    if (header != null) {
      r.headers().add(header, "X1".getBytes(StandardCharsets.UTF_8));
    }
    producer.send(r).get();
  }

  /** The heart-rate values of the device's Observations. */
  static List<Double> heartRates() throws Exception {
    String url =
        fhir.baseUrl()
            + "/Observation?device="
            + URLEncoder.encode(
                "Device/" + ResourceIds.of("Device", null, DEVICE), StandardCharsets.UTF_8);
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "application/fhir+json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    List<Double> values = new ArrayList<>();
    JSON.readTree(r.body())
        .path("entry")
        .forEach(e -> values.add(e.at("/resource/valueQuantity/value").asDouble()));
    return values;
  }

  static List<String> ids(String query) {
    List<String> ids = new ArrayList<>();
    get("/connectors/" + CONNECTOR + "/dead-letters?" + query, READER_KEY)
        .json()
        .path("items")
        .forEach(i -> ids.add(i.path("id").asText()));
    return ids;
  }

  static List<JsonNode> deadLetters() {
    Answer r = get("/connectors/" + CONNECTOR + "/dead-letters?limit=500", READER_KEY);
    assertThat(r.status()).as(r.json().toString()).isEqualTo(200);
    List<JsonNode> items = new ArrayList<>();
    r.json().path("items").forEach(items::add);
    return items;
  }

  static List<JsonNode> awaitDeadLetters(int count) {
    return Await.atMost(WAIT)
        .every(Duration.ofMillis(250))
        .until(
            "at least " + count + " dead letters",
            DeadLetterApiIT::deadLetters,
            l -> l.size() >= count);
  }

  static JsonNode awaitReplay(String replay) {
    return Await.atMost(WAIT)
        .every(Duration.ofMillis(500))
        .until(
            "replay done",
            () ->
                get("/connectors/" + CONNECTOR + "/dead-letters/replays/" + replay, READER_KEY)
                    .json(),
            s -> s.path("done").asBoolean());
  }

  static Answer get(String path, String key) {
    return call("GET", path, null, key);
  }

  static Answer post(String path, String body, String key) {
    return call("POST", path, body, key);
  }

  static Answer call(String method, String path, String body, String key) {
    return ConsoleApi.call(service.baseUrl, method, "/api/console" + path, body, key);
  }
}
