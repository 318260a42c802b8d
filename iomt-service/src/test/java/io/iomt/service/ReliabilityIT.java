package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.measurement.MeasurementProperty;
import io.iomt.pipeline.DeadLetters;
import io.iomt.pipeline.KafkaClients;
import io.iomt.pipeline.MeasurementCodec;
import io.iomt.testkit.Await;
import io.iomt.testkit.FhirObservations;
import io.iomt.testkit.HapiFhirServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service under the two failures the connector must survive without losing or misfiling data,
 * each on a service of its own (own embedded broker, own topics, own metrics) writing to the shared
 * HAPI FHIR server: the FHIR server going away for 30 s mid-stream, and 1 % poison messages among
 * good ones. (A killed process is CrashRecoveryIT's, in iomt-pipeline.)
 */
class ReliabilityIT {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration OUTAGE = Duration.ofSeconds(30);

  /**
   * How long the Observations may take to arrive: HAPI on two cores shared with other work writes
   * 10 to 40 Observations a second, and after the outage the group stage's next attempt may come up
   * to its maximum backoff (30 s) later.
   */
  private static final Duration CATCH_UP = Duration.ofMinutes(5);

  private HapiFhirServer fhir;
  private Path dataDir;
  private RunningService service;
  private KafkaClients kafka;

  @BeforeEach
  void startService() throws Exception {
    fhir = HapiFhirServer.shared();
    dataDir = Files.createTempDirectory("iomt-reliability-it");
    service = RunningService.start(RunningService.defaults(dataDir, fhir.baseUrl()));
    kafka =
        new KafkaClients(
            Map.of(
                "bootstrap.servers",
                service.bean(KafkaRuntime.class).clients().bootstrapServers()));
  }

  @AfterEach
  void stopService() throws IOException {
    try {
      fhir.start(); // never leave the JVM's shared server stopped
    } finally {
      if (service != null) {
        service.close();
      }
      deleteRecursively(dataDir);
    }
  }

  @Test
  void aThirtySecondFhirOutageMidStreamDelaysButLosesNothingAndDeadLettersNothing()
      throws Exception {
    String run = "outage-" + UUID.randomUUID().toString().substring(0, 8);
    int devices = 20;
    int perDevice = 50;
    int perRound = 5; // per device: 10 rounds of 100 messages, 1,000 in all
    int rounds = perDevice / perRound;
    Map<String, Integer> expected = new LinkedHashMap<>();
    for (int d = 0; d < devices; d++) {
      expected.put(device(run, d), perDevice);
    }

    long stopped = 0;
    long restarted;
    try {
      for (int round = 0; round < rounds; round++) {
        if (round == rounds / 2) {
          // Mid-stream: the first half is being written (some of it is in FHIR already).
          awaitFirstObservation(expected.keySet());
          fhir.stop();
          stopped = System.nanoTime();
        }
        List<String> batch = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
          for (int i = 0; i < perRound; i++) {
            int second = round * perRound + i;
            batch.add(heartRate(device(run, d), T0.plusSeconds(second), "" + (60 + d)));
          }
        }
        HttpResponse<String> r = service.ingest("test", "[" + String.join(",", batch) + "]");
        assertThat(r.statusCode()).as("ingest during round %d: %s", round, r.body()).isEqualTo(202);
        assertThat(r.body()).isEqualTo("{\"accepted\":" + batch.size() + "}");
      }
      // What operators see while FHIR is away: still ready (ingest works), but the delivery
      // group DOWN: FHIR down, the group stage blocked.
      // Read while the outage lasts: until 3 s before its end.
      Duration outageLeft =
          Duration.ofNanos(
              Math.max(0, stopped + OUTAGE.minusSeconds(3).toNanos() - System.nanoTime()));
      JsonNode delivery =
          Await.atMost(outageLeft)
              .every(Duration.ofMillis(250))
              .until(
                  "the group stage blocked in /actuator/health/delivery",
                  this::deliveryRead,
                  ReliabilityIT::groupBlocked);
      assertThat(fhir.isRunning()).isFalse();
      assertThat(readiness().path("status").asText())
          .as("readiness during the FHIR outage")
          .isEqualTo("UP");
      assertThat(delivery.path("status").asText()).isEqualTo("DOWN");
      assertThat(delivery.at("/components/fhir/status").asText()).isEqualTo("DOWN");
      assertThat(delivery.at("/components/fhir/details/test/error").asText())
          .as("fhir health during the outage: %s", delivery.at("/components/fhir"))
          .contains("ConnectException");
      assertThat(delivery.at("/components/broker/status").asText()).isEqualTo("UP");
      assertThat(delivery.at("/components/connectors/status").asText())
          .as("connectors health during the outage: %s", delivery.at("/components/connectors"))
          .isEqualTo("DOWN");
      JsonNode group = delivery.at("/components/connectors/details/test/group");
      assertThat(group.path("status").asText()).isEqualTo("blocked");
      assertThat(group.path("error").asText()).isEqualTo("FhirServiceUnavailableException");
      assertThat(group.path("message").asText()).contains("is unavailable");
      assertThat(Instant.parse(group.path("retryAt").asText())).isNotNull();
      assertThat(delivery.at("/components/connectors/details/test/normalize").asText())
          .isEqualTo("running");

      long left = OUTAGE.toNanos() - (System.nanoTime() - stopped);
      if (left > 0) {
        Thread.sleep(left / 1_000_000);
      }
    } finally {
      fhir.start();
      restarted = System.nanoTime();
    }

    // Up to 30 s of backoff (the stage's maximum) may pass before the next attempt, plus the
    // HTTP client's own retries and the writing itself.
    Map<String, Integer> counts = FhirCounts.awaitObservations(fhir.baseUrl(), expected, CATCH_UP);
    long caughtUpMs = (System.nanoTime() - restarted) / 1_000_000;
    System.out.printf(
        "ReliabilityIT: waited %d ms for the Observations after FHIR came back%n", caughtUpMs);
    assertThat(counts)
        .as("Observations per device after the outage (expected %d each)", perDevice)
        .isEqualTo(expected);
    assertThat(FhirObservations.countsOfDevices(fhir.baseUrl(), expected.keySet()))
        .isEqualTo(expected);

    JsonNode ready = awaitDelivery("UP", Duration.ofSeconds(60));
    assertThat(ready.path("status").asText())
        .as("delivery after the outage: %s", ready)
        .isEqualTo("UP");
    assertThat(ready.at("/components/connectors/details/test/group").asText()).isEqualTo("running");
    assertThat(ready.at("/components/fhir/status").asText()).isEqualTo("UP");

    // Nothing was dead-lettered: an unavailable FHIR server blocks, it never drops data. The
    // broker is this test's own, so its error topic must be empty, not only free of our devices.
    List<ConsumerRecord<byte[], byte[]>> errors = readToEnd("test-errors");
    assertThat(errors)
        .as("dead letters after the outage: %s", describe(errors))
        .noneMatch(r -> text(r.value()).contains(run))
        .isEmpty();
    // The outage was counted as what it is: a blocking FHIR error, and nothing else.
    Map<String, Double> errorCounts = errorCounts();
    assertThat(errorCounts)
        .as("iomt_errors_total after the outage")
        .containsOnlyKeys("FhirServiceUnavailableException/FHIRConversion");
  }

  @Test
  void onePercentPoisonLandsInTheErrorTopicWithItsReasonAndTheRestArrives() throws Exception {
    String run = "poison-" + UUID.randomUUID().toString().substring(0, 8);
    // 1,000 messages in 10 batches of 100: 99 good ones and 1 poison each (3 not JSON, 3 with a
    // value that is no number, 2 with a timestamp that is no date, 2 without a device id).
    int batches = 10;
    int devices = 33; // 3 good messages each per batch: 30 Observations each, 990 in all
    Map<String, Integer> expected = new LinkedHashMap<>();
    for (int d = 0; d < devices; d++) {
      expected.put(device(run, d), batches * 3);
    }
    Map<String, Poison> poison = new LinkedHashMap<>(); // by the exact bytes sent
    try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
      for (int b = 0; b < batches; b++) {
        List<String> batch = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
          for (int i = 0; i < 3; i++) {
            batch.add(heartRate(device(run, d), T0.plusSeconds(b * 3 + i), "" + (60 + i)));
          }
        }
        String bad;
        Instant at = T0.plusSeconds(b * 3);
        switch (b % 4) {
          case 0 -> {
            // Not JSON: impossible through HTTP ingest (which checks JSON), so straight to Kafka.
            bad = "{\"deviceId\": \"" + run + "-raw-" + b + "\", \"heartRate\": 7";
            RecordMetadata sent =
                producer
                    .send(
                        new ProducerRecord<>(
                            "test-events",
                            (run + "-raw-" + b).getBytes(StandardCharsets.UTF_8),
                            bad.getBytes(StandardCharsets.UTF_8)))
                    .get();
            poison.put(
                bad,
                new Poison(
                    "InvalidDataFormatException",
                    "Normalization",
                    "not valid JSON",
                    "test-events",
                    sent.partition(),
                    sent.offset()));
          }
          case 1 -> {
            // Valid JSON, normalized, but a Quantity needs a number: fails converting to FHIR.
            bad = heartRate(run + "-nan-" + b, at, "\"fast\"");
            poison.put(
                bad,
                new Poison(
                    "InvalidQuantityFhirValueException",
                    "FHIRConversion",
                    "is not a decimal: 'fast'",
                    "test-normalized",
                    -1,
                    -1));
          }
          case 2 -> {
            bad =
                "{\"deviceId\":\"%s\",\"patientId\":\"p-%s\",\"endDate\":\"yesterday\",\"heartRate\":70}"
                    .formatted(run + "-time-" + b, run + "-time-" + b);
            poison.put(
                bad,
                new Poison(
                    "InvalidDataFormatException",
                    "Normalization",
                    "Unable to parse the value 'yesterday' for [TimestampExpression]",
                    "test-events",
                    -1,
                    -1));
          }
          default -> {
            bad =
                "{\"patientId\":\"p-%s\",\"endDate\":\"%s\",\"heartRate\":70}"
                    .formatted(run + "-nodevice-" + b, at);
            poison.put(
                bad,
                new Poison(
                    "IncompatibleDataException",
                    "Normalization",
                    "Unable to extract required value for [DeviceIdExpression]",
                    "test-events",
                    -1,
                    -1));
          }
        }
        if (b % 4 != 0) {
          batch.add(b % batch.size(), bad); // somewhere among the good ones
        }
        HttpResponse<String> r = service.ingest("test", "[" + String.join(",", batch) + "]");
        assertThat(r.statusCode()).as("ingest of batch %d: %s", b, r.body()).isEqualTo(202);
        assertThat(r.body()).isEqualTo("{\"accepted\":" + batch.size() + "}");
      }
    }
    assertThat(poison).hasSize(batches);

    // The other 99 % arrive, exactly once each.
    Map<String, Integer> counts = FhirCounts.awaitObservations(fhir.baseUrl(), expected, CATCH_UP);
    assertThat(counts).isEqualTo(expected);
    assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(990);

    // Each poison message is in the error topic once, with its reason and its original bytes.
    List<ConsumerRecord<byte[], byte[]>> letters =
        awaitDeadLetters(run, batches, Duration.ofSeconds(60));
    assertThat(letters).as("dead letters: %s", describe(letters)).hasSize(batches);
    Map<String, Poison> unmatched = new LinkedHashMap<>(poison);
    for (ConsumerRecord<byte[], byte[]> letter : letters) {
      String value = text(letter.value());
      String sourceTopic = DeadLetters.header(letter.headers(), DeadLetters.SOURCE_TOPIC);
      Poison p;
      if ("test-normalized".equals(sourceTopic)) {
        // A group-stage dead letter carries the normalized measurement it could not convert.
        Measurement m = MeasurementCodec.decode(letter.value());
        assertThat(m.type()).isEqualTo("heartrate");
        assertThat(m.properties()).containsExactly(new MeasurementProperty("hr", "fast"));
        String sent =
            unmatched.keySet().stream()
                .filter(k -> k.contains("\"deviceId\":\"" + m.deviceId() + "\""))
                .findFirst()
                .orElse(null);
        assertThat(sent)
            .as("a dead letter of an unknown measurement, or twice: %s", value)
            .isNotNull();
        p = unmatched.remove(sent);
      } else {
        p = unmatched.remove(value);
        assertThat(p)
            .as("a dead letter whose bytes are not one poison message as sent, or twice: %s", value)
            .isNotNull();
      }
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.ERROR))
          .as("error name of %s", value)
          .isEqualTo(p.name());
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.STAGE))
          .as("stage of %s", value)
          .isEqualTo(p.stage());
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.SEVERITY))
          .isEqualTo("NonBlocking");
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.MESSAGE))
          .as("reason of %s", value)
          .contains(p.reason());
      assertThat(sourceTopic).isEqualTo(p.sourceTopic());
      int partition =
          Integer.parseInt(DeadLetters.header(letter.headers(), DeadLetters.SOURCE_PARTITION));
      long offset = Long.parseLong(DeadLetters.header(letter.headers(), DeadLetters.SOURCE_OFFSET));
      if (p.partition() >= 0) {
        assertThat(partition).isEqualTo(p.partition());
        assertThat(offset).isEqualTo(p.offset());
      }
      // The source position points at the very record that failed.
      assertThat(readAt(sourceTopic, partition, offset)).isEqualTo(letter.value());
    }
    assertThat(unmatched).as("poison messages never dead-lettered").isEmpty();

    // None of the poison became an Observation, and no more than 990 good ones arrived.
    assertThat(FhirObservations.countsOfDevices(fhir.baseUrl(), expected.keySet()))
        .isEqualTo(expected);
    for (String bad : poison.keySet()) {
      Matcher device = Pattern.compile("\"deviceId\":\"([^\"]+)\"").matcher(bad);
      if (device.find()) {
        assertThat(FhirObservations.countOfDevice(fhir.baseUrl(), device.group(1)))
            .as("Observations of %s", device.group(1))
            .isZero();
      }
    }

    // The metrics operators alert on count them by name and stage.
    // (A FHIR server slow to answer may add FhirService* errors: blocking, retried, not data.)
    Map<String, Double> dataErrors = errorCounts();
    dataErrors.keySet().removeIf(k -> k.startsWith("FhirService"));
    assertThat(dataErrors)
        .as("iomt_errors_total")
        .isEqualTo(
            Map.of(
                "InvalidDataFormatException/Normalization", 5.0,
                "IncompatibleDataException/Normalization", 2.0,
                "InvalidQuantityFhirValueException/FHIRConversion", 3.0));
    // The service kept running: poison never blocks.
    JsonNode ready = readiness();
    assertThat(ready.path("status").asText()).as("readiness: %s", ready).isEqualTo("UP");
  }

  /** What a poison message must produce in the error topic. */
  private record Poison(
      String name, String stage, String reason, String sourceTopic, int partition, long offset) {}

  private static String device(String run, int d) {
    return "%s-%02d".formatted(run, d);
  }

  private static String heartRate(String device, Instant at, String value) {
    return "{\"deviceId\":\"%s\",\"patientId\":\"p-%s\",\"endDate\":\"%s\",\"heartRate\":%s}"
        .formatted(device, device, at, value);
  }

  private void awaitFirstObservation(Collection<String> devices) {
    Await.atMost(CATCH_UP)
        .every(Duration.ofMillis(200))
        .until(
            "an Observation of one of " + devices,
            () ->
                devices.stream()
                    .filter(d -> FhirObservations.countOfDevice(fhir.baseUrl(), d) > 0)
                    .findFirst(),
            Optional::isPresent);
  }

  private JsonNode readiness() throws Exception {
    HttpResponse<String> r = service.get("/actuator/health/readiness", null);
    JsonNode health = JSON.readTree(r.body());
    assertThat(r.statusCode())
        .as("readiness HTTP status for %s", health.path("status").asText())
        .isEqualTo("UP".equals(health.path("status").asText()) ? 200 : 503);
    return health;
  }

  /** The delivery group with its details (FHIR servers, stages), as an operator sees it. */
  private JsonNode delivery() throws Exception {
    HttpResponse<String> r = service.get("/actuator/health/delivery", RunningService.API_KEY);
    JsonNode health = JSON.readTree(r.body());
    assertThat(r.statusCode())
        .as("delivery HTTP status for %s", health.path("status").asText())
        .isEqualTo("UP".equals(health.path("status").asText()) ? 200 : 503);
    return health;
  }

  /**
   * {@link #delivery()} as a value to await: a failed read, its HTTP status check included, ends
   * the wait at once instead of being read again.
   */
  private JsonNode deliveryRead() {
    try {
      return delivery();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the delivery group", e);
    } catch (Exception | AssertionError e) {
      throw new IllegalStateException("reading the delivery group failed: " + e.getMessage(), e);
    }
  }

  private static boolean groupBlocked(JsonNode delivery) {
    return "blocked"
        .equals(delivery.at("/components/connectors/details/test/group/status").asText());
  }

  private JsonNode awaitDelivery(String status, Duration timeout) {
    return Await.atMost(timeout)
        .every(Duration.ofMillis(250))
        .until(
            "/actuator/health/delivery " + status,
            this::deliveryRead,
            health -> status.equals(health.path("status").asText()));
  }

  /** {@code iomt_errors_total} of connector {@code test}, summed by "name/stage". */
  private Map<String, Double> errorCounts() throws Exception {
    HttpResponse<String> r = service.get("/actuator/prometheus", RunningService.API_KEY);
    assertThat(r.statusCode()).isEqualTo(200);
    Pattern line = Pattern.compile("^iomt_errors_total\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
    Pattern label = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    Map<String, Double> out = new TreeMap<>();
    Matcher m = line.matcher(r.body());
    while (m.find()) {
      Map<String, String> labels = new HashMap<>();
      Matcher l = label.matcher(m.group(1));
      while (l.find()) {
        labels.put(l.group(1), l.group(2));
      }
      if ("test".equals(labels.get("connector"))) {
        out.merge(
            labels.get("name") + "/" + labels.get("stage"),
            Double.parseDouble(m.group(2)),
            Double::sum);
      }
    }
    return out;
  }

  /** Dead letters whose original bytes mention {@code run}, once {@code expected} are there. */
  private List<ConsumerRecord<byte[], byte[]>> awaitDeadLetters(
      String run, int expected, Duration timeout) {
    return Await.atMost(timeout)
        .every(Duration.ofMillis(500))
        .until(
            expected + " dead letters of " + run,
            () ->
                readToEnd("test-errors").stream()
                    .filter(r -> text(r.value()).contains(run))
                    .toList(),
            ours -> ours.size() >= expected);
  }

  /** Every record of a topic, from the beginning to its current end. */
  private List<ConsumerRecord<byte[], byte[]>> readToEnd(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        kafka.consumer("reliability-it-" + UUID.randomUUID())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, p.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      // The poll itself waits; no pause between two polls.
      Await.atMost(Duration.ofSeconds(60))
          .every(Duration.ofMillis(1))
          .untilEquals(
              "records of " + topic + " left to read to its end",
              () -> {
                long left =
                    partitions.stream()
                        .mapToLong(tp -> end.get(tp) - consumer.position(tp))
                        .filter(n -> n > 0)
                        .sum();
                if (left > 0) {
                  consumer.poll(Duration.ofMillis(500)).forEach(out::add);
                }
                return left;
              },
              0L);
      return out;
    }
  }

  /** The value of the record at one position. */
  private byte[] readAt(String topic, int partition, long offset) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        kafka.consumer("reliability-it-" + UUID.randomUUID())) {
      TopicPartition tp = new TopicPartition(topic, partition);
      consumer.assign(List.of(tp));
      consumer.seek(tp, offset);
      // The poll itself waits; no pause between two polls.
      return Await.atMost(Duration.ofSeconds(30))
          .every(Duration.ofMillis(1))
          .until(
              "the record at " + tp + "@" + offset,
              () -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                  if (r.offset() == offset) {
                    return r.value();
                  }
                }
                return null;
              },
              Objects::nonNull);
    }
  }

  private static List<String> describe(List<ConsumerRecord<byte[], byte[]>> letters) {
    return letters.stream()
        .map(
            r ->
                DeadLetters.header(r.headers(), DeadLetters.ERROR)
                    + "@"
                    + DeadLetters.header(r.headers(), DeadLetters.STAGE)
                    + ": "
                    + DeadLetters.header(r.headers(), DeadLetters.MESSAGE)
                    + " <- "
                    + text(r.value()))
        .toList();
  }

  private static String text(byte[] bytes) {
    return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
