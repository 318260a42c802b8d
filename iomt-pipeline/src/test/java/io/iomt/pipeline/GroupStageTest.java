package io.iomt.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.measurement.MeasurementProperty;
import io.iomt.core.retry.Backoff;
import io.iomt.fhir.identity.ResolutionType;
import io.iomt.fhir.write.InMemoryObservationWriter;
import io.iomt.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The group stage on Kafka's MockConsumer and MockProducer and the in-memory Observation writer:
 * flush by count and by age, blocked partitions, revocation. No broker, no FHIR server.
 */
class GroupStageTest {
  static final String TOPIC = "normalized";
  static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
  static FhirMapping mapping;

  @BeforeAll
  static void load() throws Exception {
    mapping =
        FhirMapping.parse(Files.readAllBytes(PipelineIT.SAMPLES.resolve("fhir-mapping.json")));
  }

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  /**
   * As KafkaConsumer: a wakeup makes the next blocking call throw, a commit included (MockConsumer
   * only makes the next poll throw).
   */
  private final MockConsumer<byte[], byte[]> consumer =
      new MockConsumer<>(OffsetResetStrategy.EARLIEST) {
        private boolean wakeupPending;

        @Override
        public synchronized void wakeup() {
          wakeupPending = true;
          super.wakeup();
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
          if (wakeupPending) {
            wakeupPending = false;
            throw new WakeupException();
          }
          super.commitSync(offsets);
        }
      };

  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer());
  private final InMemoryObservationWriter fhir =
      InMemoryObservationWriter.of(clock, ResolutionType.CREATE);
  private final Map<TopicPartition, Long> offsets = new HashMap<>();
  private GroupStage stage;

  @BeforeEach
  void subscribe() {
    stage = stage(fhir);
    stage.subscribe();
    consumer.rebalance(List.of(P0, P1));
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
  }

  private GroupStage stage(io.iomt.fhir.write.ObservationWriter writer) {
    return new GroupStage(
        consumer,
        producer,
        mapping,
        writer,
        new DeadLetters("errors", 1024 * 1024),
        new GroupStage.Config(
            TOPIC,
            new FlushPolicy(3, Duration.ofSeconds(10)),
            Duration.ZERO,
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), PipelineIT.LONGEST, clock)),
        clock,
        StageMetrics.NONE,
        new StatusHolder("test"));
  }

  private void add(TopicPartition tp, String device, int second, int value) {
    long offset = offsets.merge(tp, 1L, Long::sum) - 1;
    consumer.addRecord(heartRate(tp, offset, device, second, value, clock.instant()));
  }

  /** A normalized heart rate of {@code device} at 10:00 + {@code second}, as the stage reads it. */
  static ConsumerRecord<byte[], byte[]> heartRate(
      TopicPartition tp, long offset, String device, int second, int value, Instant ingested) {
    Measurement m =
        new Measurement(
            "heartrate",
            Instant.parse("2026-01-01T10:00:00Z").plusSeconds(second),
            ingested,
            device,
            "p-" + device,
            null,
            null,
            List.of(new MeasurementProperty("hr", Integer.toString(value))));
    return new ConsumerRecord<>(
        tp.topic(),
        tp.partition(),
        offset,
        device.getBytes(StandardCharsets.UTF_8),
        MeasurementCodec.encode(m));
  }

  /**
   * One round of the stage, then its flushes' results taken: what one round did before writes ran
   * on threads of their own.
   */
  static void round(GroupStage stage) {
    stage.runOnce();
    assertThat(stage.awaitFlushes(Duration.ofSeconds(30))).as("flushes ended").isTrue();
  }

  private long committed(TopicPartition tp) {
    OffsetAndMetadata o = consumer.committed(java.util.Set.of(tp)).get(tp);
    return o == null ? 0 : o.offset();
  }

  @Test
  void aPartitionIsWrittenAndCommittedAsSoonAsItHoldsMaxEventsAndNotBefore() {
    add(P0, "dev-a", 1, 61);
    add(P0, "dev-a", 2, 62);
    round(stage);
    assertThat(fhir.writeCalls()).isZero();
    assertThat(committed(P0)).isZero();

    add(P0, "dev-a", 3, 63);
    round(stage);

    assertThat(fhir.observations()).hasSize(3);
    assertThat(committed(P0)).isEqualTo(3);
  }

  @Test
  void aStopRequestedWhileABatchIsWrittenStillCommitsItSoThatTheNextOwnerDoesNotConvertItAgain() {
    // A swapped mapping would convert a replayed batch into other Observations: duplicates.
    GroupStage[] closing = new GroupStage[1];
    closing[0] =
        stage(
            groups -> {
              closing[0].close(); // the stop arrives while FHIR is being written
              return fhir.write(groups);
            });
    closing[0].subscribe();
    add(P0, "dev-a", 1, 61);
    add(P0, "dev-a", 2, 62);
    add(P0, "dev-a", 3, 63);

    round(closing[0]);

    assertThat(fhir.observations()).hasSize(3);
    assertThat(committed(P0)).isEqualTo(3);
  }

  @Test
  void aPartitionIsWrittenWhenItsOldestMeasurementWaitedMaxAge() {
    add(P1, "dev-b", 1, 70);
    round(stage);
    clock.advance(Duration.ofSeconds(9));
    round(stage);
    assertThat(fhir.writeCalls()).isZero();

    clock.advance(Duration.ofSeconds(1));
    round(stage);

    assertThat(fhir.observations()).hasSize(1);
    assertThat(committed(P1)).isEqualTo(1);
    assertThat(committed(P0)).as("the other partition had nothing to commit").isZero();
  }

  @Test
  void anOutageBlocksAndPausesThePartitionUntilTheBackoffEndsThenEverythingIsWrittenOnce() {
    fhir.makeUnavailable();
    add(P0, "dev-a", 1, 61);
    add(P0, "dev-a", 2, 62);
    add(P0, "dev-a", 3, 63);
    round(stage);

    assertThat(stage.status()).isInstanceOf(StageStatus.Blocked.class);
    StageStatus.Blocked blocked = (StageStatus.Blocked) stage.status();
    assertThat(blocked.errorName()).isEqualTo("FhirServiceUnavailableException");
    assertThat(blocked.retryAt()).isEqualTo(clock.instant().plusSeconds(1));
    assertThat(consumer.paused()).containsExactly(P0);
    assertThat(committed(P0)).isZero();

    fhir.heal();
    int calls = fhir.writeCalls();
    clock.advance(Duration.ofMillis(999));
    round(stage);
    assertThat(fhir.writeCalls()).as("still backing off").isEqualTo(calls);

    clock.advance(Duration.ofMillis(1));
    round(stage);
    assertThat(stage.status()).isEqualTo(new StageStatus.Running());
    assertThat(consumer.paused()).isEmpty();
    assertThat(fhir.observations()).hasSize(3);
    assertThat(committed(P0)).isEqualTo(3);
    assertThat(producer.history()).as("an outage dead-letters nothing").isEmpty();
  }

  @Test
  void aRevokedPartitionIsFlushedFirstWhileTheServerWorks() {
    add(P0, "dev-a", 1, 61);
    round(stage);

    consumer.rebalance(List.of(P1));

    assertThat(fhir.observations()).hasSize(1);
    consumer.rebalance(List.of(P0, P1)); // MockConsumer shows commits of assigned partitions only
    assertThat(committed(P0)).isEqualTo(1);
  }

  @Test
  void aRevokedPartitionIsReleasedWithoutAWriteWhileTheServerIsDown() {
    fhir.makeUnavailable();
    add(P0, "dev-a", 1, 61);
    add(P0, "dev-a", 2, 62);
    add(P0, "dev-a", 3, 63);
    add(P1, "dev-b", 1, 70);
    round(stage);
    assertThat(stage.status()).isInstanceOf(StageStatus.Blocked.class);
    int calls = fhir.writeCalls();

    consumer.rebalance(List.of());

    assertThat(fhir.writeCalls()).as("no write attempt inside the rebalance").isEqualTo(calls);
    consumer.rebalance(List.of(P0, P1)); // MockConsumer shows commits of assigned partitions only
    assertThat(committed(P0)).isZero();
    assertThat(committed(P1)).isZero();
    assertThat(stage.status()).isEqualTo(new StageStatus.Running());
  }

  @Test
  void aGroupTheWriterRejectsIsDeadLetteredWithItsSourceRecordsAndThePartitionMovesOn() {
    InMemoryObservationWriter lookup = InMemoryObservationWriter.of(clock, ResolutionType.LOOKUP);
    lookup.registerDevice("dev-known", "p-dev-known");
    GroupStage strict = stage(lookup);
    strict.subscribe();
    consumer.rebalance(List.of(P0, P1));
    add(P0, "dev-known", 1, 61);
    add(P0, "dev-unknown", 1, 99);
    add(P0, "dev-unknown", 2, 98);

    round(strict);

    assertThat(lookup.observations()).hasSize(1);
    assertThat(producer.history()).hasSize(2);
    assertThat(producer.history())
        .extracting(r -> DeadLetters.header(r.headers(), DeadLetters.ERROR))
        .containsOnly("DeviceNotFoundException");
    assertThat(producer.history())
        .extracting(r -> DeadLetters.header(r.headers(), DeadLetters.SOURCE_OFFSET))
        .containsExactly("1", "2");
    assertThat(committed(P0)).isEqualTo(3);
  }
}
