package io.iomt.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.envelope.MessageLimits;
import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.mapping.DeviceMapping;
import io.iomt.core.retry.Backoff;
import io.iomt.embedded.kafka.EmbeddedKafkaBroker;
import io.iomt.fhir.FhirDestination;
import io.iomt.fhir.auth.TokenProvider;
import io.iomt.fhir.http.RetryPolicy;
import io.iomt.fhir.identity.ResolutionType;
import io.iomt.fhir.write.ObservationWriter;
import io.iomt.testkit.Await;
import io.iomt.testkit.FaultInjectingProxy;
import io.iomt.testkit.FhirObservations;
import io.iomt.testkit.HapiFhirServer;
import io.iomt.testkit.MutableClock;
import io.iomt.testkit.SampleMessages;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The two stages end to end on a real KRaft broker and a real HAPI FHIR JPA server. */
class PipelineIT {
  static final Path SAMPLES = Path.of("").toAbsolutePath().getParent().resolve("samples");
  static EmbeddedKafkaBroker broker;
  static String bootstrap;
  static HapiFhirServer fhirServer;
  static DeviceMapping deviceMapping;
  static FhirMapping fhirMapping;

  record Topics(String source, String normalized, String errors) {}

  /** Jitter that always picks the longest delay, so a test knows when a retry is due. */
  static final java.util.random.RandomGenerator LONGEST =
      new java.util.random.RandomGenerator() {
        @Override
        public long nextLong() {
          return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
          return bound - 1;
        }
      };

  @BeforeAll
  static void start() throws Exception {
    ensureStarted();
  }

  /** One broker per test JVM, shared by the pipeline's integration tests, closed at exit. */
  static synchronized void ensureStarted() throws Exception {
    ensureBroker();
    fhirServer = HapiFhirServer.shared();
  }

  /** The shared broker and the sample mappings, without the FHIR server. */
  static synchronized void ensureBroker() throws Exception {
    if (broker == null) {
      broker = EmbeddedKafkaBroker.start(Files.createTempDirectory("iomt-pipeline-kafka"));
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "iomt-pipeline-kafka-close"));
      bootstrap = broker.bootstrapServers();
    }
    loadMappings();
  }

  static void loadMappings() throws java.io.IOException {
    deviceMapping = DeviceMapping.parse(Files.readAllBytes(SAMPLES.resolve("device-mapping.json")));
    fhirMapping = FhirMapping.parse(Files.readAllBytes(SAMPLES.resolve("fhir-mapping.json")));
  }

  static Topics topics() {
    String id = UUID.randomUUID().toString().substring(0, 8);
    Topics t = new Topics("events-" + id, "normalized-" + id, "errors-" + id);
    broker.createTopic(t.source(), 2);
    broker.createTopic(t.normalized(), 2);
    broker.createTopic(t.errors(), 1);
    return t;
  }

  static KafkaConsumer<byte[], byte[]> consumer(String group) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  static KafkaProducer<byte[], byte[]> producer() {
    return producer(bootstrap);
  }

  static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  static void send(String topic, String... bodies) throws Exception {
    try (KafkaProducer<byte[], byte[]> p = producer()) {
      for (String body : bodies) {
        p.send(new ProducerRecord<>(topic, body.getBytes(StandardCharsets.UTF_8))).get();
      }
    }
  }

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  /** A heart rate at {@code second} (0 to 59) after 10:00 on 1 January 2026. */
  static String heartRate(String device, String patient, int second, int value) {
    return SampleMessages.heartRate(device, patient, T0.plusSeconds(second), value);
  }

  static ObservationWriter writer(String fhirUrl) {
    return new FhirDestination(
            URI.create(fhirUrl),
            TokenProvider.none(),
            ResolutionType.CREATE,
            new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1)),
            FhirDestination.TIMEOUT)
        .writer(Clock.systemUTC());
  }

  static NormalizeStage normalize(Topics t) {
    KafkaEventSource source = new KafkaEventSource(consumer("normalize-" + t.source()), t.source());
    source.start();
    return new NormalizeStage(
        source,
        producer(),
        new Normalizer(deviceMapping, new EnvelopeReader(MessageLimits.DEFAULTS)),
        new DeadLetters(t.errors(), 1024 * 1024),
        new NormalizeStage.Config(t.normalized(), Duration.ofMillis(200)),
        StageMetrics.NONE,
        Clock.systemUTC(),
        new StatusHolder("normalize " + t.source()));
  }

  static GroupStage group(Topics t, String fhirUrl, Clock clock) {
    return group(t, fhirUrl, clock, new FlushPolicy(1000, Duration.ofSeconds(2)));
  }

  static GroupStage group(Topics t, String fhirUrl, Clock clock, FlushPolicy flush) {
    return group(t, fhirUrl, clock, flush, fhirMapping);
  }

  static GroupStage group(
      Topics t, String fhirUrl, Clock clock, FlushPolicy flush, FhirMapping mapping) {
    GroupStage stage =
        new GroupStage(
            consumer("group-" + t.normalized()),
            producer(),
            mapping,
            writer(fhirUrl),
            new DeadLetters(t.errors(), 1024 * 1024),
            new GroupStage.Config(
                t.normalized(),
                flush,
                Duration.ofMillis(200),
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), LONGEST, clock)),
            clock,
            StageMetrics.NONE,
            new StatusHolder("group " + t.normalized()));
    stage.subscribe();
    return stage;
  }

  static long committed(String group, String topic) {
    try (KafkaConsumer<byte[], byte[]> c = consumer(group)) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(topic).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
      long sum = 0;
      for (var e : c.committed(new java.util.HashSet<>(parts)).entrySet()) {
        sum += e.getValue() == null ? 0 : e.getValue().offset();
      }
      return sum;
    }
  }

  static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = consumer("reader-" + UUID.randomUUID())) {
      c.subscribe(List.of(topic));
      for (int i = 0; i < 50 && out.size() < expected; i++) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /**
   * Runs the stage until its group has committed {@code records} source records (at most 2 min).
   */
  static void normalizeAll(NormalizeStage stage, Topics t, int records) {
    String group = "normalize-" + t.source();
    // runOnce polls the source for up to 200 ms itself: no pause between two rounds.
    Await.atMost(Duration.ofMinutes(2))
        .every(Duration.ofMillis(1))
        .until(
            "records committed by " + group,
            () -> {
              long committed = committed(group, t.source());
              if (committed < records) {
                stage.runOnce();
              }
              return committed;
            },
            committed -> committed >= records);
  }

  /** One round, then the flushes it started written and committed (they run on other threads). */
  static void runAndAwaitFlushes(GroupStage stage) {
    stage.runOnce();
    assertThat(stage.awaitFlushes(Duration.ofMinutes(1))).as("flushes ended").isTrue();
  }

  static void pollUntilBuffered(GroupStage stage, int rounds) {
    for (int i = 0; i < rounds; i++) {
      stage.runOnce();
    }
  }

  @Test
  void eventsBecomeObservationsAndOffsetsAreCommittedOnlyAfterTheFlush() throws Exception {
    Topics t = topics();
    String d1 = "pipe-" + UUID.randomUUID().toString().substring(0, 6);
    String d2 = "pipe-" + UUID.randomUUID().toString().substring(0, 6);
    List<String> bodies = new ArrayList<>();
    for (int s = 0; s < 10; s++) {
      bodies.add(heartRate(d1, "p-" + d1, s, 60 + s));
      bodies.add(heartRate(d2, "p-" + d2, s, 70 + s));
    }
    send(t.source(), bodies.toArray(String[]::new));
    NormalizeStage normalize = normalize(t);
    normalizeAll(normalize, t, 20);
    assertThat(committed("normalize-" + t.source(), t.source())).isEqualTo(20);

    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    GroupStage group = group(t, fhirServer.baseUrl(), clock);
    pollUntilBuffered(group, 10);
    assertThat(committed("group-" + t.normalized(), t.normalized()))
        .as("nothing is committed before the flush policy fires")
        .isZero();
    assertThat(FhirObservations.countOfDevice(fhirServer.baseUrl(), d1)).isZero();

    clock.advance(Duration.ofSeconds(3));
    runAndAwaitFlushes(group);
    assertThat(FhirObservations.countOfDevice(fhirServer.baseUrl(), d1)).isEqualTo(10);
    assertThat(FhirObservations.countOfDevice(fhirServer.baseUrl(), d2)).isEqualTo(10);
    assertThat(committed("group-" + t.normalized(), t.normalized())).isEqualTo(20);
    assertThat(group.status()).isEqualTo(new StageStatus.Running());
  }

  @Test
  void poisonMessagesGoToTheErrorTopicWithTheirReasonAndTheRestArrives() throws Exception {
    Topics t = topics();
    String d = "poison-" + UUID.randomUUID().toString().substring(0, 6);
    send(
        t.source(),
        heartRate(d, "p-" + d, 1, 61),
        "heart rate 62",
        "{\"patientId\":\"p\",\"endDate\":\"2026-01-01T10:00:03Z\",\"heartRate\":63}",
        heartRate(d, "p-" + d, 4, 64));
    normalizeAll(normalize(t), t, 4);
    List<ConsumerRecord<byte[], byte[]>> dead = readAll(t.errors(), 2);
    assertThat(dead).hasSize(2);
    assertThat(dead)
        .extracting(r -> DeadLetters.header(r.headers(), DeadLetters.ERROR))
        .containsExactlyInAnyOrder("InvalidDataFormatException", "IncompatibleDataException");
    assertThat(dead)
        .anySatisfy(
            r -> {
              assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("heart rate 62");
              assertThat(DeadLetters.header(r.headers(), DeadLetters.STAGE))
                  .isEqualTo("Normalization");
              assertThat(DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC))
                  .isEqualTo(t.source());
              assertThat(DeadLetters.header(r.headers(), DeadLetters.MESSAGE))
                  .contains("not valid JSON");
            });
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    GroupStage group = group(t, fhirServer.baseUrl(), clock);
    pollUntilBuffered(group, 10);
    clock.advance(Duration.ofSeconds(3));
    runAndAwaitFlushes(group);
    assertThat(FhirObservations.countOfDevice(fhirServer.baseUrl(), d)).isEqualTo(2);
  }

  @Test
  void aFhirOutagePausesWithoutCommittingAndResumesByItselfWithoutDeadLetters() throws Exception {
    Topics t = topics();
    String d = "outage-" + UUID.randomUUID().toString().substring(0, 6);
    send(t.source(), heartRate(d, "p-" + d, 1, 61), heartRate(d, "p-" + d, 2, 62));
    normalizeAll(normalize(t), t, 2);
    try (FaultInjectingProxy proxy = FaultInjectingProxy.start(fhirServer.baseUrl())) {
      MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
      GroupStage group = group(t, proxy.baseUrl(), clock);
      pollUntilBuffered(group, 10);
      proxy.failNext(1000, 503, null);
      clock.advance(Duration.ofSeconds(3));
      runAndAwaitFlushes(group);
      assertThat(group.status()).isInstanceOf(StageStatus.Blocked.class);
      assertThat(((StageStatus.Blocked) group.status()).errorName())
          .isEqualTo("FhirServiceUnavailableException");
      assertThat(committed("group-" + t.normalized(), t.normalized())).isZero();

      group.runOnce(); // still backing off: no request
      proxy.clearFaults();
      clock.advance(Duration.ofSeconds(2));
      runAndAwaitFlushes(group);
      assertThat(group.status()).isEqualTo(new StageStatus.Running());
      assertThat(FhirObservations.countOfDevice(fhirServer.baseUrl(), d)).isEqualTo(2);
      assertThat(committed("group-" + t.normalized(), t.normalized())).isEqualTo(2);
      assertThat(readAll(t.errors(), 1)).isEmpty();
    }
  }
}
