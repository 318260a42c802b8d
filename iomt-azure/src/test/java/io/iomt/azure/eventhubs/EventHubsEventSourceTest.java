package io.iomt.azure.eventhubs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.amqp.exception.AmqpErrorCondition;
import com.azure.core.amqp.exception.AmqpErrorContext;
import com.azure.core.amqp.exception.AmqpException;
import com.azure.messaging.eventhubs.EventData;
import com.azure.messaging.eventhubs.ReceivedEvents;
import com.azure.messaging.eventhubs.models.Checkpoint;
import com.azure.messaging.eventhubs.models.CloseContext;
import com.azure.messaging.eventhubs.models.CloseReason;
import com.azure.messaging.eventhubs.models.ErrorContext;
import com.azure.messaging.eventhubs.models.EventBatchContext;
import com.azure.messaging.eventhubs.models.InitializationContext;
import com.azure.messaging.eventhubs.models.LastEnqueuedEventProperties;
import com.azure.messaging.eventhubs.models.PartitionContext;
import io.iomt.core.error.EventHubNotFoundException;
import io.iomt.core.error.EventHubUnavailableException;
import io.iomt.core.error.UnauthorizedAccessEventHubException;
import io.iomt.pipeline.source.SourceEvent;
import io.iomt.testkit.Await;
import io.iomt.testkit.azure.eventhubs.InMemoryCheckpointStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventHubsEventSourceTest {
  private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    volatile Instant now = T0;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final InMemoryCheckpointStore store = new InMemoryCheckpointStore();
  private final MovableClock clock = new MovableClock();
  private final List<String> processorCalls = new ArrayList<>();
  private final EventHubsEventSource source =
      new EventHubsEventSource(
          "ns/hub",
          "checkpoints",
          store,
          callbacks ->
              new EventHubsEventSource.Processor() {
                @Override
                public void start() {
                  processorCalls.add("start");
                }

                @Override
                public void stop() {
                  processorCalls.add("stop");
                }
              },
          Duration.ofSeconds(60),
          PartitionMetrics.NONE,
          clock);

  private static PartitionContext partition(String id) {
    return new PartitionContext("ns.servicebus.windows.net", "hub", "$Default", id);
  }

  private static EventData event(long sequence, String body) {
    return ReceivedEvents.message(body.getBytes(StandardCharsets.UTF_8))
        .position(sequence, T0.plusSeconds(sequence))
        .received();
  }

  private EventBatchContext batch(String partition, EventData... events) {
    return new EventBatchContext(
        partition(partition),
        List.of(events),
        store,
        new LastEnqueuedEventProperties(99L, "9900", T0, T0));
  }

  private List<String> bodies(List<SourceEvent> events) {
    return events.stream().map(e -> new String(e.body(), StandardCharsets.UTF_8)).toList();
  }

  @Test
  void theStagePollsTheEventsOfEveryOwnedPartitionInOrder() {
    source.start();
    source.initialize(new InitializationContext(partition("0")));
    source.initialize(new InitializationContext(partition("1")));
    source.batch(batch("0", event(1, "a"), event(2, "b")));
    source.batch(batch("1", event(7, "x")));
    source.batch(batch("0", event(3, "c")));

    List<SourceEvent> polled = source.poll(Duration.ofSeconds(1));

    assertThat(bodies(polled)).containsExactly("a", "b", "x", "c");
    assertThat(polled).extracting(SourceEvent::position).containsExactly(1L, 2L, 7L, 3L);
    assertThat(processorCalls).containsExactly("start");
  }

  @Test
  void commitWritesEachPartitionsLastSequenceNumberAndOffsetToTheCheckpointStore() {
    source.initialize(new InitializationContext(partition("0")));
    source.initialize(new InitializationContext(partition("1")));
    source.batch(batch("0", event(1, "a"), event(2, "b")));
    source.batch(batch("1", event(7, "x")));

    source.commit(source.poll(Duration.ofSeconds(1)));

    assertThat(store.checkpoints()).containsOnlyKeys("0", "1");
    Checkpoint zero = store.checkpoints().get("0");
    assertThat(zero.getSequenceNumber()).isEqualTo(2);
    assertThat(zero.getOffsetString()).isEqualTo("200");
    assertThat(zero.getFullyQualifiedNamespace()).isEqualTo("ns.servicebus.windows.net");
    assertThat(zero.getEventHubName()).isEqualTo("hub");
    assertThat(zero.getConsumerGroup()).isEqualTo("$Default");
    assertThat(store.checkpoints().get("1").getSequenceNumber()).isEqualTo(7);
  }

  @Test
  void aPartitionGivenUpIsNeitherDeliveredFromTheQueueNorCheckpointed() {
    source.initialize(new InitializationContext(partition("0")));
    source.initialize(new InitializationContext(partition("1")));
    source.batch(batch("0", event(1, "a")));
    List<SourceEvent> polledBefore = source.poll(Duration.ofSeconds(1));
    source.batch(batch("0", event(2, "b")));
    source.batch(batch("1", event(7, "x")));

    source.close(new CloseContext(partition("0"), CloseReason.LOST_PARTITION_OWNERSHIP));
    List<SourceEvent> polledAfter = source.poll(Duration.ofSeconds(1));
    source.commit(polledBefore);
    source.commit(polledAfter);

    assertThat(bodies(polledAfter)).containsExactly("x");
    assertThat(store.checkpoints()).containsOnlyKeys("1");
  }

  @Test
  void refusedCredentialsAreABlockingErrorOfTheNextPoll() {
    source.initialize(new InitializationContext(partition("0")));
    source.error(
        new ErrorContext(
            partition("0"),
            new AmqpException(
                false,
                AmqpErrorCondition.UNAUTHORIZED_ACCESS,
                "InvalidSignature: The token has an invalid signature.",
                new AmqpErrorContext("ns.servicebus.windows.net"))));

    assertThatThrownBy(() -> source.poll(Duration.ofSeconds(1)))
        .isInstanceOf(UnauthorizedAccessEventHubException.class)
        .hasMessageContaining("The event hub ns/hub refused the connector's credentials")
        .hasMessageContaining("amqp:unauthorized-access");
  }

  @Test
  void aMissingHubOrConsumerGroupIsABlockingNotFoundError() {
    source.error(
        new ErrorContext(
            partition("NONE"),
            new AmqpException(
                false,
                AmqpErrorCondition.NOT_FOUND,
                "The messaging entity 'ns:eventhub:hub~0|nope' could not be found.",
                new AmqpErrorContext("ns.servicebus.windows.net"))));

    assertThatThrownBy(() -> source.poll(Duration.ofMillis(10)))
        .isInstanceOf(EventHubNotFoundException.class)
        .hasMessageContaining("ns/hub");
  }

  @Test
  void transientFailuresBecomeAnOutageOnlyWhenTheyLastLongerThanTheLimit() {
    AmqpException lost =
        new AmqpException(
            true, "connection reset", new AmqpErrorContext("ns.servicebus.windows.net"));
    source.error(new ErrorContext(partition("0"), lost));
    clock.now = T0.plusSeconds(59);
    assertThat(source.poll(Duration.ZERO)).isEmpty();

    source.initialize(new InitializationContext(partition("0"))); // it recovered
    clock.now = T0.plusSeconds(200);
    assertThat(source.poll(Duration.ZERO)).isEmpty();

    source.error(new ErrorContext(partition("0"), lost));
    clock.now = T0.plusSeconds(261);
    assertThatThrownBy(() -> source.poll(Duration.ZERO))
        .isInstanceOf(EventHubUnavailableException.class)
        .hasMessageContaining("kept failing for 60 s");
  }

  @Test
  void aFailedCheckpointThrowsSoTheEventsAreDeliveredAgain() {
    source.initialize(new InitializationContext(partition("0")));
    source.batch(batch("0", event(1, "a")));
    List<SourceEvent> polled = source.poll(Duration.ofSeconds(1));
    store.failCheckpoints(new IllegalStateException("storage unreachable"));

    assertThatThrownBy(() -> source.commit(polled)).hasMessage("storage unreachable");
    assertThat(store.checkpoints()).isEmpty();
  }

  @Test
  void aFullQueueHoldsThePartitionBackUntilTheStagePollsAndClosingReleasesIt()
      throws InterruptedException {
    source.initialize(new InitializationContext(partition("0")));
    for (int i = 0; i < 8; i++) {
      source.batch(batch("0", event(i, "e" + i)));
    }
    CountDownLatch delivered = new CountDownLatch(1);
    Thread sdkThread =
        new Thread(
            () -> {
              source.batch(batch("0", event(8, "e8")));
              delivered.countDown();
            });
    sdkThread.start();

    assertThat(delivered.await(200, TimeUnit.MILLISECONDS)).isFalse();
    List<String> polled = new ArrayList<>(bodies(source.poll(Duration.ofSeconds(1))));
    assertThat(delivered.await(10, TimeUnit.SECONDS)).isTrue();
    // The waiting batch enters once the poll took the first one out: in the same poll's drain, or
    // in the next poll.
    if (polled.size() < 9) {
      polled.addAll(bodies(source.poll(Duration.ofSeconds(1))));
    }
    assertThat(polled).containsExactly("e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8");

    for (int i = 0; i < 8; i++) {
      source.batch(batch("0", event(10 + i, "f" + i)));
    }
    Thread blocked = new Thread(() -> source.batch(batch("0", event(20, "g"))));
    blocked.start();
    source.close();
    blocked.join(10_000);
    assertThat(blocked.isAlive()).isFalse();
    assertThat(processorCalls).containsExactly("stop");
  }

  @Test
  void wakeupEndsAWaitingPollEarly() throws InterruptedException {
    Thread stage = Thread.currentThread();
    Thread waker =
        new Thread(
            () -> {
              // Once the stage's thread waits inside poll (for the queue), wake it.
              Await.atMost(Duration.ofSeconds(10))
                  .every(Duration.ofMillis(1))
                  .until("the poll waiting", stage::getState, s -> s == Thread.State.TIMED_WAITING);
              source.wakeup();
            });
    waker.start();
    // The clock never moves: only the wakeup can end this poll.
    assertThat(source.poll(Duration.ofSeconds(1))).isEmpty();
    waker.join();
  }
}
