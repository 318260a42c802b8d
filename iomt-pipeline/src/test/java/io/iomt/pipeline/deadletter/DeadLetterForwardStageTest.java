package io.iomt.pipeline.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iomt.core.error.IomtException;
import io.iomt.core.retry.Backoff;
import io.iomt.pipeline.DeadLetters;
import io.iomt.pipeline.StageMetrics;
import io.iomt.pipeline.StageName;
import io.iomt.pipeline.StageStatus;
import io.iomt.pipeline.StageSupervisor;
import io.iomt.pipeline.StatusHolder;
import io.iomt.pipeline.source.InMemoryEventSource;
import io.iomt.pipeline.source.SourceEvent;
import io.iomt.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class DeadLetterForwardStageTest {
  private static final Duration POLL = Duration.ofMillis(20);

  /** Counts what the stage reports. */
  static final class RecordingMetrics implements StageMetrics {
    final List<String> errors = new CopyOnWriteArrayList<>();
    final AtomicInteger forwarded = new AtomicInteger();

    @Override
    public void error(IomtException error) {
      errors.add(error.errorName() + "/" + error.stage().displayName());
    }

    @Override
    public void deadLettersForwarded(int count) {
      forwarded.addAndGet(count);
    }
  }

  /**
   * A dead letter at {@code offset} of partition 0 of the error topic, as DeadLetters writes it.
   */
  static SourceEvent deadLetter(long offset, String key, String body) {
    return new SourceEvent(
        "icu-errors",
        0,
        offset,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        body.getBytes(StandardCharsets.UTF_8),
        List.of(
            property("x-device-header", "kept"),
            property(DeadLetters.STAGE, "Normalization"),
            property(DeadLetters.ERROR, "InvalidDataFormatException"),
            property(DeadLetters.SEVERITY, "NonBlocking"),
            property(DeadLetters.MESSAGE, "not JSON at line 1"),
            property(DeadLetters.SOURCE_TOPIC, "icu-events"),
            property(DeadLetters.SOURCE_PARTITION, "3"),
            property(DeadLetters.SOURCE_OFFSET, Long.toString(100 + offset))),
        Map.of(),
        Instant.parse("2026-11-30T10:00:00Z"));
  }

  private static SourceEvent.Property property(String name, String value) {
    return new SourceEvent.Property(name, value.getBytes(StandardCharsets.UTF_8));
  }

  private static DeadLetterForwardStage stage(
      InMemoryEventSource errors, DeadLetterSink sink, StageMetrics metrics, StatusHolder status) {
    return new DeadLetterForwardStage(
        errors, sink, new DeadLetterForwardStage.Config("icu", POLL), metrics, status);
  }

  @Test
  void everyDeadLetterReachesTheSinkWithItsBodyKeyHeadersAndErrorTopicPositionThenIsCommitted() {
    InMemoryEventSource errors = new InMemoryEventSource(100);
    InMemoryDeadLetterSink sink = new InMemoryDeadLetterSink();
    RecordingMetrics metrics = new RecordingMetrics();
    errors.offer(deadLetter(0, "monitor-01", "not json"), deadLetter(1, null, "{\"x\":1}"));

    stage(errors, sink, metrics, new StatusHolder("test")).runOnce();

    assertThat(sink.accepted()).hasSize(2);
    DeadLetter first = sink.accepted().get(0);
    assertThat(first.connector()).isEqualTo("icu");
    assertThat(first.where()).isEqualTo("icu-errors/0@0");
    assertThat(first.keyText()).isEqualTo("monitor-01");
    assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo("not json");
    assertThat(first.errorName()).isEqualTo("InvalidDataFormatException");
    assertThat(first.header(DeadLetters.STAGE)).isEqualTo("Normalization");
    assertThat(first.header(DeadLetters.MESSAGE)).isEqualTo("not JSON at line 1");
    assertThat(first.header(DeadLetters.SOURCE_OFFSET)).isEqualTo("100");
    assertThat(first.header("x-device-header")).isEqualTo("kept");
    assertThat(sink.accepted().get(1).key()).isNull();
    assertThat(sink.accepted().get(1).offset()).isEqualTo(1);
    assertThat(errors.committed()).containsEntry(0, 2L);
    assertThat(metrics.forwarded).hasValue(2);
    assertThat(metrics.errors).isEmpty();
  }

  @Test
  void aRefusedSendCommitsNothingIsCountedAndTheSameDeadLettersGoAgainAfterARestart() {
    InMemoryEventSource errors = new InMemoryEventSource(100);
    InMemoryDeadLetterSink sink = new InMemoryDeadLetterSink();
    RecordingMetrics metrics = new RecordingMetrics();
    errors.offer(deadLetter(0, "a", "one"), deadLetter(1, "b", "two"));
    sink.refuseNext(1, DeadLetterSinkException.Reason.UNAUTHORIZED);

    DeadLetterForwardStage first = stage(errors, sink, metrics, new StatusHolder("test"));
    assertThatThrownBy(first::runOnce)
        .isInstanceOf(DeadLetterSinkException.class)
        .satisfies(
            e -> {
              DeadLetterSinkException refused = (DeadLetterSinkException) e;
              assertThat(refused.isBlocking()).isTrue();
              assertThat(refused.errorName()).isEqualTo("DeadLetterSinkUnauthorizedException");
            });
    assertThat(errors.committed()).isEmpty();
    assertThat(sink.accepted()).isEmpty();
    assertThat(metrics.errors).containsExactly("DeadLetterSinkUnauthorizedException/Setup");

    errors.rewind(); // what a new consumer of the group would be given
    stage(errors, sink, metrics, new StatusHolder("test")).runOnce();

    assertThat(sink.accepted()).extracting(DeadLetter::offset).containsExactly(0L, 1L);
    assertThat(errors.committed()).containsEntry(0, 2L);
    assertThat(metrics.forwarded).hasValue(2);
  }

  @Test
  void aDestinationThatRefusesOpeningLeavesTheStageBlockedWithoutReadingTheErrorTopic() {
    InMemoryEventSource errors = new InMemoryEventSource(100);
    InMemoryDeadLetterSink sink = new InMemoryDeadLetterSink();
    RecordingMetrics metrics = new RecordingMetrics();
    errors.offer(deadLetter(0, "a", "one"));
    sink.refuseNext(1, DeadLetterSinkException.Reason.NOT_FOUND);
    StatusHolder status = new StatusHolder("test");

    assertThatThrownBy(stage(errors, sink, metrics, status)::run)
        .isInstanceOf(DeadLetterSinkException.class)
        .hasMessageContaining("refused a connection");

    assertThat(errors.started()).isFalse();
    assertThat(status.get()).isInstanceOf(StageStatus.Starting.class);
    assertThat(sink.closes()).isEqualTo(1);
    assertThat(metrics.errors).containsExactly("DeadLetterSinkNotFoundException/Setup");
  }

  @Test
  void underItsSupervisorASinkThatFailsThreeTimesShowsBlockedThenRecoversWithNothingLost() {
    InMemoryEventSource errors = new InMemoryEventSource(2);
    InMemoryDeadLetterSink sink = new InMemoryDeadLetterSink();
    RecordingMetrics metrics = new RecordingMetrics();
    for (int i = 0; i < 5; i++) {
      errors.offer(deadLetter(i, "device-" + i, "body " + i));
    }
    sink.refuseNext(3, DeadLetterSinkException.Reason.UNAVAILABLE);
    List<StageStatus> seen = new CopyOnWriteArrayList<>();
    StageSupervisor supervisor =
        new StageSupervisor(
            "iomt-icu-forward-errors",
            status -> {
              seen.add(status.get()); // what health showed while the restart was due
              errors.rewind(); // a new consumer starts after the last commit
              return stage(errors, sink, metrics, status);
            },
            new Backoff(Duration.ofMillis(1), Duration.ofMillis(5), LONGEST, Clock.systemUTC()),
            Clock.systemUTC());
    supervisor.start();
    try {
      Await.atMost(Duration.ofSeconds(20))
          .every(Duration.ofMillis(1))
          .untilSatisfies(
              "the forwarder's progress",
              errors::committed,
              committed -> assertThat(committed).containsEntry(0, 5L));
    } finally {
      supervisor.close();
      supervisor.join();
    }

    assertThat(sink.accepted()).extracting(DeadLetter::offset).containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(metrics.errors).hasSize(3).containsOnly("DeadLetterSinkUnavailableException/Setup");
    assertThat(metrics.forwarded).hasValue(5);
    assertThat(seen).hasSize(4);
    assertThat(seen.get(0)).isInstanceOf(StageStatus.Starting.class);
    assertThat(seen.subList(1, 4))
        .allSatisfy(
            s ->
                assertThat(s)
                    .isInstanceOfSatisfying(
                        StageStatus.Blocked.class,
                        b ->
                            assertThat(b.errorName())
                                .isEqualTo("DeadLetterSinkUnavailableException")));
    assertThat(supervisor.status()).isEqualTo(new StageStatus.Stopped("closed"));
  }

  @Test
  void theStageIsNamedForwardErrorsAndStopsWhenClosed() throws Exception {
    InMemoryEventSource errors = new InMemoryEventSource(100);
    InMemoryDeadLetterSink sink = new InMemoryDeadLetterSink();
    StatusHolder status = new StatusHolder("test");
    DeadLetterForwardStage stage = stage(errors, sink, StageMetrics.NONE, status);
    assertThat(stage.name()).isEqualTo(StageName.FORWARD_ERRORS);
    assertThat(StageName.FORWARD_ERRORS.id()).isEqualTo("forward-errors");
    List<Throwable> thrown = new ArrayList<>();
    Thread t =
        new Thread(
            () -> {
              try {
                stage.run();
              } catch (Throwable e) {
                thrown.add(e);
              }
            });
    t.start();
    Await.atMost(Duration.ofSeconds(10))
        .every(Duration.ofMillis(5))
        .untilSatisfies(
            "the stage's status",
            status::get,
            s -> assertThat(s).isInstanceOf(StageStatus.Running.class));
    stage.close();
    t.join(10_000);
    assertThat(t.isAlive()).isFalse();
    assertThat(thrown).isEmpty();
    assertThat(status.get()).isEqualTo(new StageStatus.Stopped("closed"));
    assertThat(sink.closes()).isEqualTo(1);
    assertThat(errors.started()).isFalse();
  }

  /** Jitter that always picks the longest delay. */
  private static final RandomGenerator LONGEST =
      new RandomGenerator() {
        @Override
        public long nextLong() {
          return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
          return bound - 1;
        }
      };
}
