package io.iomt.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.core.error.FhirServiceUnavailableException;
import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.measurement.MeasurementProperty;
import io.iomt.core.retry.Backoff;
import io.iomt.fhir.identity.ResolutionType;
import io.iomt.fhir.write.InMemoryObservationWriter;
import io.iomt.fhir.write.ObservationWriter;
import io.iomt.testkit.Await;
import io.iomt.testkit.MutableClock;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The group stage writing partitions concurrently, on Kafka's MockConsumer and MockProducer and a
 * writer whose writes wait until the test lets them through ({@link GatedWriter}): the bound of
 * flushes in flight, one flush per partition in offset order, commits only after success, blocked
 * partitions beside working ones, rebalances and close with flushes in flight, and the byte bound.
 */
class GroupStageConcurrencyTest {
  static final String TOPIC = "normalized";
  static FhirMapping mapping;

  @BeforeAll
  static void load() throws Exception {
    mapping =
        FhirMapping.parse(Files.readAllBytes(PipelineIT.SAMPLES.resolve("fhir-mapping.json")));
  }

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  /** Commits in the order they were made. */
  private final List<Map<TopicPartition, OffsetAndMetadata>> commits = new CopyOnWriteArrayList<>();

  /** As KafkaConsumer: a wakeup makes the next blocking call throw, a commit included. */
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
          commits.add(Map.copyOf(offsets));
        }
      };

  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer());
  private final InMemoryObservationWriter fhir =
      InMemoryObservationWriter.of(clock, ResolutionType.CREATE);
  private final GatedWriter gated = new GatedWriter(fhir);
  private final Map<TopicPartition, Long> offsets = new HashMap<>();
  private final AtomicLong bufferedBytes = new AtomicLong();
  private final AtomicLong flushesInFlight = new AtomicLong();

  @AfterEach
  void letWritesEnd() {
    gated.open();
  }

  static TopicPartition p(int partition) {
    return new TopicPartition(TOPIC, partition);
  }

  private GroupStage stage(ObservationWriter writer, FlushPolicy flush, int partitions) {
    GroupStage stage =
        new GroupStage(
            consumer,
            producer,
            mapping,
            writer,
            new DeadLetters("errors", 1024 * 1024),
            new GroupStage.Config(
                TOPIC,
                flush,
                Duration.ZERO,
                new Backoff(
                    Duration.ofSeconds(1), Duration.ofSeconds(30), PipelineIT.LONGEST, clock),
                4,
                "test-group"),
            clock,
            new StageMetrics() {
              @Override
              public void groupBuffer(long bytes, int inFlight) {
                bufferedBytes.set(bytes);
                flushesInFlight.set(inFlight);
              }
            },
            new StatusHolder("test"));
    stage.subscribe();
    assign(partitions);
    return stage;
  }

  private GroupStage stage(ObservationWriter writer, int partitions) {
    return stage(writer, new FlushPolicy(3, Duration.ofSeconds(10)), partitions);
  }

  private void assign(int partitions) {
    List<TopicPartition> all = new ArrayList<>();
    Map<TopicPartition, Long> beginning = new HashMap<>();
    for (int i = 0; i < partitions; i++) {
      all.add(p(i));
      beginning.put(p(i), 0L);
    }
    consumer.rebalance(all);
    consumer.updateBeginningOffsets(beginning);
  }

  /** Adds {@code count} heart rates of {@code device} to a partition, values from {@code from}. */
  private void add(TopicPartition tp, String device, int from, int count) {
    for (int value = from; value < from + count; value++) {
      long offset = offsets.merge(tp, 1L, Long::sum) - 1;
      consumer.addRecord(
          GroupStageTest.heartRate(tp, offset, device, value, value, clock.instant()));
    }
  }

  private long committed(TopicPartition tp) {
    OffsetAndMetadata o = consumer.committed(Set.of(tp)).get(tp);
    return o == null ? 0 : o.offset();
  }

  /** The hr values the writer was given for a device, in the order written. */
  private List<String> written(String device) {
    List<String> values = new ArrayList<>();
    for (GatedWriter.Group w : gated.groups()) {
      if (w.device().equals(device)) {
        w.values().forEach(v -> values.add(v.getValue()));
      }
    }
    return values;
  }

  private static List<String> values(int from, int count) {
    List<String> values = new ArrayList<>();
    for (int v = from; v < from + count; v++) {
      values.add(Integer.toString(v));
    }
    return values;
  }

  @Test
  void flushesOfDifferentPartitionsOverlapUpToTheBoundAndNeverMore() throws Exception {
    GroupStage stage = stage(gated, 6);
    for (int i = 0; i < 6; i++) {
      add(p(i), "dev-" + i, 0, 3);
    }

    stage.runOnce();
    gated.awaitStarted(4);

    assertThat(gated.running()).isEqualTo(4);
    assertThat(flushesInFlight.get()).as("the bound, not six").isEqualTo(4);
    stage.runOnce();
    assertThat(flushesInFlight.get()).as("no fifth while four are in flight").isEqualTo(4);

    gated.release(1);
    Await.untilEquals(
        "a slot freed and taken",
        () -> {
          stage.runOnce();
          return flushesInFlight.get() == 4 && gated.begun() == 5;
        },
        true,
        Duration.ofSeconds(30));
    gated.open();
    assertThat(stage.awaitFlushes(Duration.ofSeconds(30))).isTrue();
    GroupStageTest.round(stage);

    assertThat(gated.mostAtOnce()).isEqualTo(4);
    assertThat(fhir.observations()).hasSize(18);
    for (int i = 0; i < 6; i++) {
      assertThat(committed(p(i))).as("partition %d", i).isEqualTo(3);
    }
  }

  @Test
  void aPartitionNeverHasTwoFlushesInFlightAndItsGroupsAreWrittenInOffsetOrder() throws Exception {
    GroupStage stage = stage(gated, 1);
    add(p(0), "dev-a", 0, 3);
    stage.runOnce();
    gated.awaitStarted(1);

    add(p(0), "dev-a", 3, 3);
    stage.runOnce();
    stage.runOnce();
    assertThat(flushesInFlight.get()).as("the second batch waits for the first").isEqualTo(1);
    assertThat(gated.begun()).isEqualTo(1);

    gated.release(1);
    Await.untilEquals(
        "the second flush started after the first",
        () -> {
          stage.runOnce();
          return gated.begun();
        },
        2,
        Duration.ofSeconds(30));
    assertThat(committed(p(0)))
        .as("the first batch, committed before the second is written")
        .isEqualTo(3);
    gated.release(1);
    assertThat(stage.awaitFlushes(Duration.ofSeconds(30))).isTrue();

    assertThat(gated.mostAtOnce()).isEqualTo(1);
    assertThat(written("dev-a")).containsExactlyElementsOf(values(0, 6));
    assertThat(commits).extracting(c -> c.get(p(0)).offset()).containsExactly(3L, 6L);
  }

  @Test
  void offsetsAreCommittedOnlyAfterTheirFlushSucceededAndInOrder() throws Exception {
    GroupStage stage = stage(gated, 2);
    add(p(0), "dev-a", 0, 3);
    add(p(1), "dev-b", 0, 3);
    stage.runOnce();
    gated.awaitStarted(2);
    stage.runOnce();

    assertThat(commits).as("nothing committed while the writes are in flight").isEmpty();
    assertThat(committed(p(0))).isZero();

    gated.release(1);
    Await.untilEquals(
        "one flush committed",
        () -> {
          stage.runOnce();
          return commits.size();
        },
        1,
        Duration.ofSeconds(30));
    assertThat(fhir.observations()).as("committed after FHIR holds it").hasSize(3);
    gated.open();
    add(p(0), "dev-a", 3, 3);
    add(p(1), "dev-b", 3, 3);
    assertThat(stage.awaitFlushes(Duration.ofSeconds(30))).isTrue();
    GroupStageTest.round(stage);

    assertThat(fhir.observations()).hasSize(12);
    for (TopicPartition tp : List.of(p(0), p(1))) {
      assertThat(commits)
          .filteredOn(c -> c.containsKey(tp))
          .extracting(c -> c.get(tp).offset())
          .as("commits of %s", tp)
          .containsExactly(3L, 6L);
    }
  }

  @Test
  void aBlockingFailureOfOnePartitionDoesNotStopTheOthers() {
    ObservationWriter halfDown =
        groups -> {
          if (groups.stream().anyMatch(g -> g.key().deviceId().equals("dev-down"))) {
            throw new FhirServiceUnavailableException("FHIR is down for dev-down", null);
          }
          return fhir.write(groups);
        };
    GroupStage stage = stage(halfDown, 2);
    add(p(0), "dev-down", 0, 3);
    add(p(1), "dev-up", 0, 3);

    GroupStageTest.round(stage);

    assertThat(stage.status()).isInstanceOf(StageStatus.Blocked.class);
    assertThat(consumer.paused()).containsExactly(p(0));
    assertThat(committed(p(0))).isZero();
    assertThat(committed(p(1))).isEqualTo(3);

    add(p(1), "dev-up", 3, 3);
    GroupStageTest.round(stage);
    assertThat(committed(p(1))).as("the working partition goes on").isEqualTo(6);
    assertThat(committed(p(0))).isZero();
    assertThat(fhir.observations()).hasSize(6);
    assertThat(producer.history()).as("an outage dead-letters nothing").isEmpty();
  }

  @Test
  void whileAPartitionIsBlockedTheServerIsProbedWithOneFlushAtATime() throws Exception {
    AtomicBoolean down = new AtomicBoolean(true);
    ObservationWriter failing =
        groups -> {
          if (down.get() && groups.stream().anyMatch(g -> g.key().deviceId().equals("dev-0"))) {
            throw new FhirServiceUnavailableException("FHIR timed out", null);
          }
          return gated.write(groups);
        };
    GroupStage stage = stage(failing, 6);
    add(p(0), "dev-0", 0, 3);
    GroupStageTest.round(stage);
    assertThat(stage.status()).isInstanceOf(StageStatus.Blocked.class);

    for (int i = 1; i < 6; i++) {
      add(p(i), "dev-" + i, 0, 3);
    }
    stage.runOnce();
    gated.awaitStarted(1);
    stage.runOnce();
    assertThat(flushesInFlight.get()).as("one probe, not four").isEqualTo(1);

    down.set(false);
    clock.advance(Duration.ofMinutes(1));
    gated.open();
    for (int round = 0; round < 10; round++) {
      GroupStageTest.round(stage);
    }
    assertThat(stage.status()).isInstanceOf(StageStatus.Running.class);
    for (int i = 0; i < 6; i++) {
      assertThat(committed(p(i))).as("partition %d", i).isEqualTo(3);
    }
    assertThat(fhir.observations()).hasSize(18);
  }

  @Test
  void aRevocationWaitsForTheFlushInFlightAndCommitsIt() throws Exception {
    GroupStage stage = stage(gated, 2);
    add(p(0), "dev-a", 0, 3);
    stage.runOnce();
    gated.awaitStarted(1);

    // The rebalance runs the listener on the thread that polls; here a helper stands in for it,
    // so that the test can let the write through once the revocation waits for it.
    Thread rebalance = new Thread(() -> consumer.rebalance(List.of(p(1))), "rebalance");
    rebalance.start();
    Thread.State state =
        Await.until(
            "the revocation waiting or done",
            rebalance::getState,
            st -> st == Thread.State.TIMED_WAITING || st == Thread.State.TERMINATED,
            Duration.ofSeconds(30));
    assertThat(state)
        .as("the revocation waits for the write")
        .isEqualTo(Thread.State.TIMED_WAITING);
    assertThat(commits).isEmpty();
    gated.release(1);
    rebalance.join(30_000);

    assertThat(rebalance.isAlive()).isFalse();
    assertThat(fhir.observations()).hasSize(3);
    assertThat(commits).containsExactly(Map.of(p(0), new OffsetAndMetadata(3)));
  }

  @Test
  void aLostPartitionsFlushIsNotCommitted() throws Exception {
    GroupStage stage = stage(gated, 2);
    add(p(0), "dev-a", 0, 3);
    stage.runOnce();
    gated.awaitStarted(1);

    stage.lose(List.of(p(0)));
    gated.release(1);
    assertThat(stage.awaitFlushes(Duration.ofSeconds(30))).isTrue();

    assertThat(fhir.observations())
        .as("FHIR got it: the new owner's replay merges into it")
        .hasSize(3);
    assertThat(commits).isEmpty();
    assertThat(committed(p(0))).isZero();
    assertThat(bufferedBytes.get()).isZero();
  }

  @Test
  void closeWithFlushesInFlightCommitsWhatTheyWroteBeforeTheConsumerCloses() throws Exception {
    GroupStage stage = stage(gated, 2);
    add(p(0), "dev-a", 0, 3);
    add(p(1), "dev-b", 0, 3);
    Thread runner = new Thread(stage, "group");
    runner.start();
    gated.awaitStarted(2);

    stage.close();
    gated.open();
    runner.join(30_000);

    assertThat(runner.isAlive()).isFalse();
    assertThat(stage.status()).isEqualTo(new StageStatus.Stopped("closed"));
    assertThat(consumer.closed()).isTrue();
    Map<TopicPartition, Long> committedOffsets = new HashMap<>();
    commits.forEach(c -> c.forEach((tp, o) -> committedOffsets.put(tp, o.offset())));
    assertThat(committedOffsets).isEqualTo(Map.of(p(0), 3L, p(1), 3L));
    assertThat(bufferedBytes.get()).isZero();
    assertThat(flushesInFlight.get()).isZero();
  }

  @Test
  void theByteBoundPausesConsumptionUntilFlushesFreeMemoryAndDropsNothing() throws Exception {
    int recordBytes = MeasurementCodec.encode(measurementLike()).length;
    // Room for about ten records: far below maxEvents, so only the byte bound makes flushes due.
    GroupStage stage =
        stage(gated, new FlushPolicy(1000, Duration.ofMinutes(5), 10L * recordBytes), 2);
    add(p(0), "dev-a", 0, 8);
    add(p(1), "dev-b", 0, 8);

    stage.runOnce();

    assertThat(bufferedBytes.get()).isGreaterThanOrEqualTo(10L * recordBytes);
    assertThat(consumer.paused()).containsExactlyInAnyOrder(p(0), p(1));
    gated.awaitStarted(2);
    add(p(0), "dev-a", 8, 8);
    add(p(1), "dev-b", 8, 8);
    long held = bufferedBytes.get();
    stage.runOnce();
    assertThat(bufferedBytes.get()).as("nothing read while paused").isEqualTo(held);

    gated.open();
    assertThat(stage.awaitFlushes(Duration.ofSeconds(30))).isTrue();
    assertThat(consumer.paused()).as("resumed below three quarters").isEmpty();
    Await.untilEquals(
        "everything committed",
        () -> {
          GroupStageTest.round(stage);
          return List.of(committed(p(0)), committed(p(1)));
        },
        List.of(16L, 16L),
        Duration.ofSeconds(30));

    assertThat(written("dev-a")).as("each record once, in order").isEqualTo(values(0, 16));
    assertThat(written("dev-b")).isEqualTo(values(0, 16));
    assertThat(fhir.observations()).hasSize(32);
    assertThat(bufferedBytes.get()).isZero();
  }

  private Measurement measurementLike() {
    return new Measurement(
        "heartrate",
        Instant.parse("2026-01-01T10:00:00Z"),
        clock.instant(),
        "dev-a",
        "p-dev-a",
        null,
        null,
        List.of(new MeasurementProperty("hr", "10")));
  }
}
