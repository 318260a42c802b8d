package io.iomt.azure.eventhubs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.amqp.AmqpRetryOptions;
import io.iomt.core.error.EventHubNotFoundException;
import io.iomt.core.error.UnauthorizedAccessEventHubException;
import io.iomt.pipeline.source.SourceEvent;
import io.iomt.testkit.Await;
import io.iomt.testkit.azure.eventhubs.EventHubsTestServer;
import io.iomt.testkit.azure.eventhubs.InMemoryCheckpointStore;
import io.iomt.testkit.azure.eventhubs.StoredEvent;
import io.iomt.testkit.azure.eventhubs.TestEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Event Hubs source on the real SDK's EventProcessorClient, against the AMQP Event Hubs test
 * server (checkpoints in a map: the Blob layout is covered with Azurite elsewhere).
 */
class EventHubsEventSourceIT {
  private static final Instant CREATED = Instant.parse("2026-11-30T08:00:00Z");

  private EventHubsTestServer hub;
  private final InMemoryCheckpointStore store = new InMemoryCheckpointStore();

  @BeforeEach
  void start() {
    hub =
        EventHubsTestServer.start(
            EventHubsTestServer.Options.create()
                .hub("telemetry", 2)
                .consumerGroup("telemetry", "iomt"));
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private EventHubsSources sources(String consumerGroup) {
    EventHubsSourceSettings settings =
        new EventHubsSourceSettings(
            null,
            null,
            consumerGroup,
            new EventHubsSourceSettings.Auth.ConnectionString(
                () -> hub.connectionString("telemetry")),
            new EventHubsSourceSettings.Checkpoints.ConnectionString(() -> "unused", "unused"),
            new EventHubsSourceSettings.StartPosition.Earliest(),
            Duration.ofSeconds(6),
            Duration.ofSeconds(2),
            100,
            100,
            Duration.ofMinutes(1));
    return new EventHubsSources(
        settings,
        PartitionMetrics.NONE,
        Clock.systemUTC(),
        new AmqpRetryOptions().setMaxRetries(1).setTryTimeout(Duration.ofSeconds(5)));
  }

  private static List<SourceEvent> pollUntil(EventHubsEventSource source, int count) {
    List<SourceEvent> all = new ArrayList<>();
    Await.atMost(Duration.ofSeconds(60))
        .every(Duration.ofMillis(1))
        .until(
            count + " events",
            () -> {
              all.addAll(source.poll(Duration.ofMillis(200)));
              return all.size();
            },
            n -> n >= count);
    return all;
  }

  @Test
  void iotHubEventsArriveAsMedTechsEnvelopeAndCommitCheckpointsTheirPositions() {
    List<StoredEvent> published = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      published.add(
          hub.publish(
              "telemetry",
              Integer.toString(i % 2),
              TestEvent.ofText("{\"HeartRate\":\"" + (70 + i) + "\"}")
                  .withMessageAnnotation("iothub-connection-device-id", "monitor-" + i % 2)
                  .withMessageAnnotation("iothub-enqueuedtime", Date.from(CREATED))
                  .withApplicationProperty("iothub-creation-time-utc", CREATED.toString())));
    }
    try (EventHubsEventSource source = sources("iomt").open(store, "map")) {
      source.start();
      List<SourceEvent> events = pollUntil(source, 6);

      assertThat(events).hasSize(6);
      SourceEvent first =
          events.stream().filter(e -> e.partition() == 0 && e.position() == 0).findFirst().get();
      assertThat(new String(first.body(), StandardCharsets.UTF_8))
          .isEqualTo("{\"HeartRate\":\"70\"}");
      assertThat(first.source()).isEqualTo("telemetry");
      assertThat(first.propertiesAsText())
          .containsEntry("iothub-creation-time-utc", "2026-11-30T08:00:00Z");
      assertThat(first.systemProperties())
          .containsEntry("iothub-connection-device-id", "monitor-0")
          .containsEntry("iothub-enqueuedtime", "2026-11-30T08:00:00Z")
          .containsEntry("x-opt-sequence-number", "0")
          .containsEntry("x-opt-offset", published.get(0).offsetString());

      source.commit(events);

      assertThat(store.checkpoints().get("0").getSequenceNumber()).isEqualTo(2);
      assertThat(store.checkpoints().get("0").getOffsetString())
          .isEqualTo(published.get(4).offsetString());
      assertThat(store.checkpoints().get("1").getSequenceNumber()).isEqualTo(2);
    }
  }

  @Test
  void aSecondSourceResumesAfterTheCheckpointsWithNothingReadTwice() {
    for (int i = 0; i < 10; i++) {
      hub.publish("telemetry", Integer.toString(i % 2), TestEvent.ofText("{\"n\":" + i + "}"));
    }
    try (EventHubsEventSource source = sources("iomt").open(store, "map")) {
      source.start();
      source.commit(pollUntil(source, 10));
    }
    for (int i = 10; i < 14; i++) {
      hub.publish("telemetry", Integer.toString(i % 2), TestEvent.ofText("{\"n\":" + i + "}"));
    }
    try (EventHubsEventSource source = sources("iomt").open(store, "map")) {
      source.start();
      List<SourceEvent> events = pollUntil(source, 4);
      assertThat(events)
          .extracting(e -> new String(e.body(), StandardCharsets.UTF_8))
          .containsExactlyInAnyOrder("{\"n\":10}", "{\"n\":11}", "{\"n\":12}", "{\"n\":13}");
    }
  }

  @Test
  void thousandsOfEventsAreHandedOverOnceEachInPartitionOrder() {
    int perPartition = 2500;
    for (int i = 0; i < perPartition; i++) {
      for (String partition : List.of("0", "1")) {
        hub.publish("telemetry", partition, TestEvent.ofText("{\"n\":" + i + "}"));
      }
    }
    try (EventHubsEventSource source = sources("iomt").open(store, "map")) {
      source.start();
      List<SourceEvent> events = new ArrayList<>();
      Await.atMost(Duration.ofSeconds(120))
          .every(Duration.ofMillis(1))
          .until(
              "all events",
              () -> {
                List<SourceEvent> polled = source.poll(Duration.ofMillis(200));
                events.addAll(polled);
                source.commit(polled);
                return events.size();
              },
              n -> n >= 2 * perPartition);
      // Anything handed over twice would arrive within a few more polls.
      for (int i = 0; i < 5; i++) {
        events.addAll(source.poll(Duration.ofMillis(200)));
      }
      for (int partition = 0; partition < 2; partition++) {
        int p = partition;
        assertThat(events.stream().filter(e -> e.partition() == p).map(SourceEvent::position))
            .as("positions of partition %d", p)
            .containsExactlyElementsOf(
                java.util.stream.LongStream.range(0, perPartition).boxed().toList());
      }
    }
  }

  @Test
  void aRevokedKeyIsABlockingUnauthorizedErrorOfThePoll() {
    hub.publish("telemetry", "0", TestEvent.ofText("{}"));
    try (EventHubsEventSource source = sources("iomt").open(store, "map")) {
      source.start();
      pollUntil(source, 1);
      hub.revokeKeys();

      assertThatThrownBy(
              () ->
                  Await.atMost(Duration.ofSeconds(60))
                      .every(Duration.ofMillis(1))
                      .until("an error", () -> source.poll(Duration.ofMillis(200)), e -> false))
          .isInstanceOf(UnauthorizedAccessEventHubException.class)
          .hasMessageContaining("refused the connector's credentials")
          .hasMessageNotContaining(hub.connectionString("telemetry").split("SharedAccessKey=")[1]);
    } finally {
      hub.restoreKeys();
    }
  }

  @Test
  void aMissingConsumerGroupIsABlockingNotFoundError() {
    try (EventHubsEventSource source = sources("nobody").open(store, "map")) {
      source.start();
      assertThatThrownBy(
              () ->
                  Await.atMost(Duration.ofSeconds(60))
                      .every(Duration.ofMillis(1))
                      .until("an error", () -> source.poll(Duration.ofMillis(200)), e -> false))
          .isInstanceOf(EventHubNotFoundException.class)
          .hasMessageContaining("127.0.0.1");
    }
  }
}
