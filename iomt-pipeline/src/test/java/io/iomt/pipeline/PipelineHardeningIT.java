package io.iomt.pipeline;

import static io.iomt.pipeline.PipelineIT.committed;
import static io.iomt.pipeline.PipelineIT.heartRate;
import static io.iomt.pipeline.PipelineIT.normalizeAll;
import static io.iomt.pipeline.PipelineIT.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.measurement.MeasurementProperty;
import io.iomt.testkit.Await;
import io.iomt.testkit.FaultInjectingProxy;
import io.iomt.testkit.FhirObservations;
import io.iomt.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The data path's hardening on a real broker and a real HAPI FHIR server: no message can stall a
 * partition (messages at the size limit, measurements the broker refuses), and a rebalance during a
 * FHIR outage releases blocked partitions at once, losing and duplicating nothing.
 */
class PipelineHardeningIT {
  private static final int ONE_MIB = 1024 * 1024;

  /** How long a test waits for the stages, a rebalance or the FHIR server. */
  private static final Duration PATIENCE = Duration.ofMinutes(2);

  @BeforeAll
  static void start() throws Exception {
    PipelineIT.ensureStarted();
  }

  private static Admin admin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, PipelineIT.bootstrap);
    return Admin.create(p);
  }

  /** Topics whose source takes records of up to 4 MiB, so a test can send one at the limit. */
  private static PipelineIT.Topics roomyTopics() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    PipelineIT.Topics t = new PipelineIT.Topics("events-" + id, "normalized-" + id, "errors-" + id);
    try (Admin admin = admin()) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(t.source(), 1, (short) 1)
                      .configs(Map.of("max.message.bytes", Integer.toString(4 * ONE_MIB))),
                  new NewTopic(t.normalized(), 1, (short) 1),
                  new NewTopic(t.errors(), 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    return t;
  }

  private static void sendLarge(String topic, byte[]... bodies) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, PipelineIT.bootstrap);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 * ONE_MIB));
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (byte[] body : bodies) {
        producer.send(new ProducerRecord<>(topic, body)).get();
      }
    }
  }

  /** A JSON message of exactly {@code size} bytes that lacks a device id. */
  private static byte[] withoutDeviceIdOfSize(int size) {
    String head =
        "{\"patientId\":\"p\",\"endDate\":\"2026-01-01T10:00:00Z\",\"heartRate\":60,\"pad\":\"";
    String tail = "\"}";
    byte[] out = new byte[size];
    byte[] h = head.getBytes(StandardCharsets.UTF_8);
    byte[] t = tail.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(h, 0, out, 0, h.length);
    Arrays.fill(out, h.length, size - t.length, (byte) 'x');
    System.arraycopy(t, 0, out, size - t.length, t.length);
    return out;
  }

  @Test
  void aMessageAtTheSizeLimitThatCannotBeNormalizedEndsInTheErrorTopicCutToFit() throws Exception {
    PipelineIT.Topics t = roomyTopics();
    String d = "limit-" + UUID.randomUUID().toString().substring(0, 6);
    byte[] atLimit = withoutDeviceIdOfSize(ONE_MIB);
    sendLarge(t.source(), atLimit, heartRate(d, "p-" + d, 1, 61).getBytes(StandardCharsets.UTF_8));

    normalizeAll(PipelineIT.normalize(t), t, 2);

    assertThat(committed("normalize-" + t.source(), t.source()))
        .as("both messages are done: the partition moved on")
        .isEqualTo(2);
    List<ConsumerRecord<byte[], byte[]>> dead = readAll(t.errors(), 1);
    assertThat(dead).hasSize(1);
    ConsumerRecord<byte[], byte[]> letter = dead.get(0);
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.ERROR))
        .isEqualTo("IncompatibleDataException");
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.TRUNCATED))
        .isEqualTo(Integer.toString(ONE_MIB));
    assertThat(letter.value().length).isLessThan(ONE_MIB);
    assertThat(letter.value()).isEqualTo(Arrays.copyOf(atLimit, letter.value().length));
  }

  @Test
  void aMeasurementTooLargeForTheNormalizedTopicIsDeadLetteredAndTheNextMessagesFlow()
      throws Exception {
    PipelineIT.Topics t = roomyTopics();
    String d = "huge-" + UUID.randomUUID().toString().substring(0, 6);
    String hugeId = "dev-" + "x".repeat(600_000);
    byte[] huge = heartRate(hugeId, "p", 1, 61).getBytes(StandardCharsets.UTF_8);
    sendLarge(t.source(), huge, heartRate(d, "p-" + d, 2, 62).getBytes(StandardCharsets.UTF_8));

    normalizeAll(PipelineIT.normalize(t), t, 2);

    assertThat(committed("normalize-" + t.source(), t.source())).isEqualTo(2);
    List<ConsumerRecord<byte[], byte[]>> dead = readAll(t.errors(), 1);
    assertThat(dead).hasSize(1);
    assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.ERROR))
        .isEqualTo("InvalidDataFormatException");
    assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.MESSAGE))
        .startsWith("The broker refused a measurement of this message for the normalized topic");
    assertThat(dead.get(0).value()).isEqualTo(huge);
    assertThat(readAll(t.normalized(), 2))
        .as("the next message's measurement")
        .singleElement()
        .satisfies(r -> assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(d));
  }

  private static FhirMapping session(String value) {
    return FhirMapping.parse(
        ("""
        {"templateType": "CollectionFhir", "template": [{"templateType": "CodeValueFhir",
          "template": {"typeName": "session", "periodInterval": "CorrelationId",
            "codes": [{"code": "x-session", "system": "http://example.org"}],
            "value": %s}}]}
        """)
            .formatted(value)
            .getBytes(StandardCharsets.UTF_8));
  }

  private static void sendMeasurements(String topic, Measurement... measurements) throws Exception {
    try (KafkaProducer<byte[], byte[]> p = PipelineIT.producer()) {
      for (Measurement m : measurements) {
        p.send(
                new ProducerRecord<>(
                    topic,
                    m.deviceId().getBytes(StandardCharsets.UTF_8),
                    MeasurementCodec.encode(m)))
            .get();
      }
    }
  }

  private static Measurement session(String device, String time, MeasurementProperty... values) {
    return new Measurement(
        "session",
        Instant.parse(time),
        Instant.parse(time),
        device,
        "p-" + device,
        null,
        "c1",
        List.of(values));
  }

  @Test
  void aMappingEditThatMakesConversionFailDeadLettersTheGroupInsteadOfReplayingItForever()
      throws Exception {
    PipelineIT.Topics t = PipelineIT.topics();
    String d = "edit-" + UUID.randomUUID().toString().substring(0, 6);
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    FlushPolicy flush = new FlushPolicy(1000, Duration.ofSeconds(1));
    // Run 1: the session's values are SampledData.
    sendMeasurements(
        t.normalized(),
        session(d, "2026-01-01T10:00:00Z", new MeasurementProperty("v", "1")),
        session(d, "2026-01-01T10:00:01Z", new MeasurementProperty("v", "2")));
    GroupStage before =
        PipelineIT.group(
            t,
            PipelineIT.fhirServer.baseUrl(),
            clock,
            flush,
            session(
                "{\"valueType\": \"SampledData\", \"valueName\": \"v\", \"defaultPeriod\": 1000}"));
    runUntil(
        before,
        clock,
        "run 1 wrote the session",
        () -> FhirObservations.countOfDevice(PipelineIT.fhirServer.baseUrl(), d),
        1);

    // Run 2: the mapping now says Quantity; a message of the same session from before the stored
    // period, without the value, makes the merge cast the stored SampledData's template: the
    // engine throws a ClassCastException, not a data error.
    String group = "group-" + t.normalized();
    sendMeasurements(
        t.normalized(),
        session(d, "2026-01-01T09:59:55Z"),
        session(d + "-other", "2026-01-01T10:00:05Z", new MeasurementProperty("v", "7")));
    GroupStage after =
        PipelineIT.group(
            t,
            PipelineIT.fhirServer.baseUrl(),
            clock,
            flush,
            session("{\"valueType\": \"Quantity\", \"valueName\": \"v\"}"));
    runUntil(after, clock, "run 2 committed", () -> committed(group, t.normalized()), 4L);

    List<ConsumerRecord<byte[], byte[]>> dead = readAll(t.errors(), 1);
    assertThat(dead).hasSize(1);
    assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.ERROR))
        .isEqualTo("UnexpectedProcessingException");
    assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.STAGE))
        .isEqualTo("FHIRConversion");
    assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.MESSAGE))
        .contains("ClassCastException");
    assertThat(MeasurementCodec.decode(dead.get(0).value()).deviceId()).isEqualTo(d);
    assertThat(FhirObservations.countOfDevice(PipelineIT.fhirServer.baseUrl(), d + "-other"))
        .as("the other device's group was written")
        .isEqualTo(1);
    assertThat(after.status()).isEqualTo(new StageStatus.Stopped("closed"));
  }

  /**
   * Runs a stage on its own thread, moving the clock on, until {@code value} reads {@code
   * expected}; stops it.
   */
  private static <T> void runUntil(
      GroupStage stage, MutableClock clock, String what, Supplier<T> value, T expected)
      throws InterruptedException {
    Thread thread = new Thread(stage, "group-" + what);
    thread.start();
    try {
      Await.untilEquals(
          what,
          () -> {
            clock.advance(Duration.ofSeconds(2));
            return value.get();
          },
          expected,
          PATIENCE);
      assertThat(stage.status())
          .as("still running, not failed")
          .isEqualTo(new StageStatus.Running());
    } finally {
      stage.close();
      thread.join(TimeUnit.SECONDS.toMillis(60));
    }
  }

  private static boolean allBlocked(List<StageStatus> statuses) {
    return statuses.stream().allMatch(StageStatus.Blocked.class::isInstance);
  }

  private static boolean noRetryDue(List<StageStatus> statuses, Instant now) {
    return statuses.stream()
        .allMatch(s -> s instanceof StageStatus.Blocked b && b.retryAt().isAfter(now));
  }

  private static List<Integer> assignment(String group) {
    try (Admin admin = admin()) {
      List<Integer> sizes = new ArrayList<>();
      for (MemberDescription m :
          admin
              .describeConsumerGroups(List.of(group))
              .all()
              .get(10, TimeUnit.SECONDS)
              .get(group)
              .members()) {
        sizes.add(m.assignment().topicPartitions().size());
      }
      return sizes;
    } catch (Exception e) {
      return List.of();
    }
  }

  @Test
  void aRebalanceDuringAFhirOutageReleasesBlockedPartitionsWithoutWritingAndLosesNothing()
      throws Exception {
    PipelineIT.Topics t = PipelineIT.topics();
    String run = "rebal-" + UUID.randomUUID().toString().substring(0, 6);
    List<String> bodies = new ArrayList<>();
    for (int device = 0; device < 10; device++) {
      for (int s = 0; s < 2; s++) {
        bodies.add(heartRate(run + "-" + device, "p-" + run + "-" + device, s, 60 + s));
      }
    }
    PipelineIT.send(t.source(), bodies.toArray(String[]::new));
    normalizeAll(PipelineIT.normalize(t), t, bodies.size());
    String group = "group-" + t.normalized();

    try (FaultInjectingProxy proxy = FaultInjectingProxy.start(PipelineIT.fhirServer.baseUrl())) {
      proxy.failNext(1_000_000, 503, null);
      MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
      FlushPolicy flush = new FlushPolicy(1000, Duration.ofSeconds(1));
      GroupStage a = PipelineIT.group(t, proxy.baseUrl(), clock, flush);
      GroupStage b = PipelineIT.group(t, proxy.baseUrl(), clock, flush);
      Thread ta = new Thread(a, "group-a");
      Thread tb = new Thread(b, "group-b");
      ta.start();
      tb.start();
      try {
        Await.untilEquals(
            "partitions per member", () -> assignment(group), List.of(1, 1), PATIENCE);
        Await.until(
            "both stages blocked by the outage",
            () -> {
              List<StageStatus> statuses = List.of(a.status(), b.status());
              if (!allBlocked(statuses)) {
                clock.advance(Duration.ofSeconds(2));
              }
              return statuses;
            },
            PipelineHardeningIT::allBlocked,
            PATIENCE);
        // The clock advanced for the slower stage may have made the other's retry due: wait until
        // neither has a retry due (each retry in flight has failed and set a later retryAt), so
        // no request of the outage itself is counted inside the rebalance.
        Await.until(
            "no retry due on the test clock",
            () -> List.of(a.status(), b.status()),
            statuses -> noRetryDue(statuses, clock.instant()),
            PATIENCE);
        int requestsBefore = proxy.requests().size() + proxy.faultCount();

        long leaving = System.nanoTime();
        a.close();
        ta.join(TimeUnit.SECONDS.toMillis(60));
        Await.untilEquals(
            "partitions of the remaining member", () -> assignment(group), List.of(2), PATIENCE);
        long rebalanceMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - leaving);

        assertThat(ta.isAlive()).as("the leaving member is gone").isFalse();
        assertThat(proxy.requests().size() + proxy.faultCount())
            .as("no FHIR request inside the rebalance (it took %d ms)", rebalanceMillis)
            .isEqualTo(requestsBefore);
        assertThat(committed(group, t.normalized())).as("nothing committed").isZero();

        proxy.clearFaults();
        clock.advance(Duration.ofSeconds(5));
        Await.untilEquals(
            "records committed once FHIR is back",
            () -> committed(group, t.normalized()),
            (long) bodies.size(),
            PATIENCE);
        for (int device = 0; device < 10; device++) {
          assertThat(
                  FhirObservations.countOfDevice(
                      PipelineIT.fhirServer.baseUrl(), run + "-" + device))
              .as("device %d", device)
              .isEqualTo(2);
        }
        assertThat(readAll(t.errors(), 1)).as("no dead letters").isEmpty();
      } finally {
        a.close();
        b.close();
        ta.join(TimeUnit.SECONDS.toMillis(60));
        tb.join(TimeUnit.SECONDS.toMillis(60));
      }
    }
  }
}
