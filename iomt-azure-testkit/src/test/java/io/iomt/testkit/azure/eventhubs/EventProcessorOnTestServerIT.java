package io.iomt.testkit.azure.eventhubs;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.amqp.exception.AmqpErrorCondition;
import com.azure.core.amqp.exception.AmqpException;
import com.azure.messaging.eventhubs.EventProcessorClient;
import com.azure.messaging.eventhubs.EventProcessorClientBuilder;
import com.azure.messaging.eventhubs.LoadBalancingStrategy;
import com.azure.messaging.eventhubs.models.CloseReason;
import com.azure.messaging.eventhubs.models.EventPosition;
import io.iomt.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventProcessorOnTestServerIT {

  private static final String HUB = "devices";
  private static final Duration WAIT = Duration.ofSeconds(25);

  private EventHubsTestServer server;
  private final InMemoryCheckpointStore store = new InMemoryCheckpointStore();
  private final List<EventProcessorClient> processors = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    server =
        EventHubsTestServer.start(
            EventHubsTestServer.Options.create().hub(HUB, 4).sasKey("listen", "k3y"));
  }

  @AfterEach
  void stop() {
    processors.forEach(EventProcessorClient::stop);
    server.close();
  }

  @Test
  void aProcessorReadsEveryPartitionAndASecondOneTakesOverPartOfThemByEpoch() {
    publish("first", 10);
    Recorder first = new Recorder();
    processor(first).start();
    Await.atMost(WAIT)
        .untilEquals("events seen by the first processor", () -> first.bodies.size(), 40);
    assertThat(first.bodies).containsAll(expected("first", 10));

    Recorder second = new Recorder();
    processor(second).start();
    Await.atMost(WAIT)
        .until("partitions the second processor took", () -> second.opened.size(), n -> n >= 1);
    Await.atMost(WAIT)
        .until("partitions the first processor lost", () -> first.lost.size(), n -> n >= 1);
    assertThat(first.lost).isSubsetOf(second.opened);

    publish("second", 5);
    Await.atMost(WAIT)
        .untilAsserted(
            "every new event processed by one of the two",
            () -> {
              Set<String> all = ConcurrentHashMap.newKeySet();
              all.addAll(first.bodies);
              all.addAll(second.bodies);
              assertThat(all).containsAll(expected("second", 5));
            });
    assertThat(second.bodies).isNotEmpty();
  }

  @Test
  void revokedKeysSurfaceAsUnauthorizedToTheProcessorAndStopDelivery() {
    publish("before", 3);
    Recorder recorder = new Recorder();
    processor(recorder).start();
    Await.atMost(WAIT).untilEquals("events before revoking", () -> recorder.bodies.size(), 12);

    server.revokeKeys();

    Await.atMost(WAIT)
        .until(
            "an unauthorized error in the processor",
            () -> recorder.errors,
            errors ->
                errors.stream()
                    .anyMatch(
                        e ->
                            e instanceof AmqpException a
                                && a.getErrorCondition()
                                    == AmqpErrorCondition.UNAUTHORIZED_ACCESS));
    for (int p = 0; p < 4; p++) {
      assertThat(server.activeReceivers(HUB, "$Default", Integer.toString(p))).isZero();
    }
    Await.atMost(WAIT)
        .until("put-tokens refused while revoked", server::putTokensRefused, n -> n > 0);
    processors.forEach(EventProcessorClient::stop);

    publish("after", 2);
    server.restoreKeys();
    Recorder resumed = new Recorder();
    processor(resumed).start();
    Await.atMost(WAIT)
        .untilAsserted(
            "events published while revoked, read once access returns",
            () -> assertThat(resumed.bodies).containsAll(expected("after", 2)));
  }

  private EventProcessorClient processor(Recorder recorder) {
    EventProcessorClient processor =
        new EventProcessorClientBuilder()
            .connectionString(server.connectionString())
            .consumerGroup("$Default")
            .retryOptions(SdkClients.RETRY)
            .checkpointStore(store)
            .loadBalancingStrategy(LoadBalancingStrategy.GREEDY)
            .loadBalancingUpdateInterval(Duration.ofMillis(500))
            .partitionOwnershipExpirationInterval(Duration.ofSeconds(3))
            .initialPartitionEventPosition(p -> EventPosition.earliest())
            .processEvent(
                context -> {
                  recorder.bodies.add(context.getEventData().getBodyAsString());
                  context.updateCheckpoint();
                })
            .processError(context -> recorder.errors.add(context.getThrowable()))
            .processPartitionInitialization(
                context -> recorder.opened.add(context.getPartitionContext().getPartitionId()))
            .processPartitionClose(
                context -> {
                  if (context.getCloseReason() == CloseReason.LOST_PARTITION_OWNERSHIP) {
                    recorder.lost.add(context.getPartitionContext().getPartitionId());
                  }
                })
            .buildEventProcessorClient();
    processors.add(processor);
    return processor;
  }

  private void publish(String prefix, int perPartition) {
    for (int p = 0; p < 4; p++) {
      for (int i = 0; i < perPartition; i++) {
        server.publish(HUB, Integer.toString(p), TestEvent.ofText(prefix + "-" + p + "-" + i));
      }
    }
  }

  private static List<String> expected(String prefix, int perPartition) {
    List<String> bodies = new java.util.ArrayList<>();
    for (int p = 0; p < 4; p++) {
      for (int i = 0; i < perPartition; i++) {
        bodies.add(prefix + "-" + p + "-" + i);
      }
    }
    return bodies;
  }

  private static final class Recorder {
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final Set<String> opened = ConcurrentHashMap.newKeySet();
    final Set<String> lost = ConcurrentHashMap.newKeySet();
  }
}
