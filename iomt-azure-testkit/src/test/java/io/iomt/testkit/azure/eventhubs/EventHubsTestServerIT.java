package io.iomt.testkit.azure.eventhubs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.amqp.exception.AmqpErrorCondition;
import com.azure.core.amqp.exception.AmqpException;
import com.azure.messaging.eventhubs.EventData;
import com.azure.messaging.eventhubs.EventDataBatch;
import com.azure.messaging.eventhubs.EventHubConsumerAsyncClient;
import com.azure.messaging.eventhubs.EventHubProducerClient;
import com.azure.messaging.eventhubs.EventHubProperties;
import com.azure.messaging.eventhubs.PartitionProperties;
import com.azure.messaging.eventhubs.models.CreateBatchOptions;
import com.azure.messaging.eventhubs.models.EventPosition;
import com.azure.messaging.eventhubs.models.LastEnqueuedEventProperties;
import com.azure.messaging.eventhubs.models.PartitionEvent;
import com.azure.messaging.eventhubs.models.ReceiveOptions;
import com.azure.messaging.eventhubs.models.SendOptions;
import io.iomt.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventHubsTestServerIT {

  private static final String HUB = "telemetry";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final MutableClock clock = new MutableClock(Instant.now());
  private EventHubsTestServer server;

  @BeforeEach
  void start() {
    server =
        EventHubsTestServer.start(
            EventHubsTestServer.Options.create()
                .hub(HUB, 4)
                .consumerGroup(HUB, "analytics")
                .sasKey("send-listen", "s3cret")
                .clock(clock));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void eventsSentByTheSdkProducerAreReadFromEarliestWithTheirPropertiesAndAnnotations() {
    try (EventHubProducerClient producer =
        SdkClients.builder(server.connectionString()).buildProducerClient()) {
      EventData single = new EventData("{\"hr\":71}");
      single.getProperties().put("device", "d-1");
      single.setContentType("application/json");
      single.setMessageId("m-1");
      single.setCorrelationId("c-1");
      producer.send(List.of(single), new SendOptions().setPartitionId("1"));

      EventDataBatch batch =
          producer.createBatch(new CreateBatchOptions().setPartitionKey("device-7"));
      for (int i = 0; i < 3; i++) {
        assertThat(batch.tryAdd(new EventData("reading-" + i))).isTrue();
      }
      producer.send(batch);
    }

    List<StoredEvent> partitionOne = server.events(HUB, "1");
    assertThat(partitionOne).isNotEmpty();
    StoredEvent stored = partitionOne.get(0);
    assertThat(stored.event().bodyAsText()).isEqualTo("{\"hr\":71}");
    assertThat(stored.event().applicationProperties()).containsEntry("device", "d-1");
    assertThat(stored.event().properties().contentType()).isEqualTo("application/json");
    assertThat(stored.event().properties().messageId()).isEqualTo("m-1");

    List<StoredEvent> keyed =
        server.events(HUB).stream()
            .filter(e -> "device-7".equals(e.event().partitionKey()))
            .toList();
    assertThat(keyed).hasSize(3);
    assertThat(keyed).extracting(StoredEvent::partitionId).containsOnly(keyed.get(0).partitionId());

    EventHubConsumerAsyncClient consumer =
        SdkClients.builder(server.connectionString())
            .consumerGroup("$Default")
            .buildAsyncConsumerClient();
    try {
      PartitionEvent first =
          consumer.receiveFromPartition("1", EventPosition.earliest()).blockFirst(WAIT);
      EventData read = first.getData();
      assertThat(read.getBodyAsString()).isEqualTo("{\"hr\":71}");
      assertThat(read.getProperties()).containsEntry("device", "d-1");
      assertThat(read.getContentType()).isEqualTo("application/json");
      assertThat(read.getMessageId()).isEqualTo("m-1");
      assertThat(read.getCorrelationId()).isEqualTo("c-1");
      assertThat(read.getSequenceNumber()).isEqualTo(0L);
      assertThat(read.getOffsetString()).isEqualTo("0");
      assertThat(read.getEnqueuedTime()).isEqualTo(stored.enqueuedTime());

      String keyedPartition = keyed.get(0).partitionId();
      List<EventData> batchRead =
          consumer
              .receiveFromPartition(keyedPartition, EventPosition.earliest())
              .map(PartitionEvent::getData)
              .filter(e -> "device-7".equals(e.getPartitionKey()))
              .take(3)
              .collectList()
              .block(WAIT);
      assertThat(batchRead)
          .extracting(EventData::getBodyAsString)
          .containsExactly("reading-0", "reading-1", "reading-2");
      assertThat(batchRead)
          .extracting(EventData::getSequenceNumber)
          .containsExactlyElementsOf(keyed.stream().map(StoredEvent::sequenceNumber).toList());
      assertThat(batchRead)
          .extracting(EventData::getOffsetString)
          .containsExactlyElementsOf(keyed.stream().map(StoredEvent::offsetString).toList());
    } finally {
      consumer.close();
    }
  }

  @Test
  void aConsumerStartingFromASequenceNumberOffsetOrEnqueuedTimeGetsExactlyTheEventsAfterIt() {
    List<StoredEvent> stored = publishFive("0");
    EventHubConsumerAsyncClient consumer =
        SdkClients.builder(server.connectionString())
            .consumerGroup("analytics")
            .buildAsyncConsumerClient();
    try {
      assertThat(sequenceNumbers(consumer, EventPosition.fromSequenceNumber(2, true), 3))
          .containsExactly(2L, 3L, 4L);
      assertThat(sequenceNumbers(consumer, EventPosition.fromSequenceNumber(2), 2))
          .containsExactly(3L, 4L);
      assertThat(
              sequenceNumbers(
                  consumer, EventPosition.fromOffsetString(stored.get(1).offsetString()), 3))
          .containsExactly(2L, 3L, 4L);
      assertThat(
              sequenceNumbers(
                  consumer, EventPosition.fromEnqueuedTime(stored.get(2).enqueuedTime()), 2))
          .containsExactly(3L, 4L);
    } finally {
      consumer.close();
    }
  }

  @Test
  void managementReadsReturnTheHubAndPartitionPropertiesIncludingTheLastEnqueuedEvent() {
    List<StoredEvent> stored = publishFive("2");
    try (EventHubProducerClient producer =
        SdkClients.builder(server.connectionString()).buildProducerClient()) {
      EventHubProperties hub = producer.getEventHubProperties();
      assertThat(hub.getName()).isEqualTo(HUB);
      assertThat(hub.getPartitionIds()).containsExactly("0", "1", "2", "3");
      assertThat(hub.getCreatedAt()).isNotNull();

      PartitionProperties two = producer.getPartitionProperties("2");
      assertThat(two.getLastEnqueuedSequenceNumber()).isEqualTo(4L);
      assertThat(two.getLastEnqueuedOffset()).isEqualTo(stored.get(4).offsetString());
      assertThat(two.getLastEnqueuedTime()).isEqualTo(stored.get(4).enqueuedTime());
      assertThat(two.isEmpty()).isFalse();
      assertThat(producer.getPartitionProperties("3").isEmpty()).isTrue();
    }
  }

  @Test
  void aReceiverTrackingLastEnqueuedEventPropertiesSeesThePartitionsLastEvent() {
    List<StoredEvent> stored = publishFive("3");
    EventHubConsumerAsyncClient consumer =
        SdkClients.builder(server.connectionString())
            .consumerGroup("$Default")
            .buildAsyncConsumerClient();
    try {
      PartitionEvent first =
          consumer
              .receiveFromPartition(
                  "3",
                  EventPosition.earliest(),
                  new ReceiveOptions().setTrackLastEnqueuedEventProperties(true))
              .blockFirst(WAIT);
      LastEnqueuedEventProperties last = first.getLastEnqueuedEventProperties();
      assertThat(last.getSequenceNumber()).isEqualTo(4L);
      assertThat(last.getOffsetString()).isEqualTo(stored.get(4).offsetString());
      assertThat(last.getEnqueuedTime()).isEqualTo(stored.get(4).enqueuedTime());
      assertThat(last.getRetrievalTime()).isNotNull();
    } finally {
      consumer.close();
    }
  }

  @Test
  void aWrongSasKeyIsRefusedWithTheSdksUnauthorizedError() {
    String wrong =
        server.connectionString().replace("SharedAccessKey=s3cret", "SharedAccessKey=nope");
    EventHubConsumerAsyncClient consumer =
        SdkClients.builder(wrong).consumerGroup("$Default").buildAsyncConsumerClient();
    try {
      assertThatThrownBy(
              () -> consumer.receiveFromPartition("0", EventPosition.earliest()).blockFirst(WAIT))
          .isInstanceOfSatisfying(
              AmqpException.class,
              e ->
                  assertThat(e.getErrorCondition())
                      .isEqualTo(AmqpErrorCondition.UNAUTHORIZED_ACCESS));
      assertThat(server.putTokensRefused()).isPositive();
    } finally {
      consumer.close();
    }
  }

  @Test
  void anUnknownHubIsReportedAsNotFound() {
    try (EventHubProducerClient producer =
        SdkClients.builder(server.connectionString("missing")).buildProducerClient()) {
      assertThatThrownBy(producer::getEventHubProperties)
          .hasMessageContaining("could not be found");
    }
  }

  private List<StoredEvent> publishFive(String partition) {
    List<StoredEvent> stored = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(1));
      stored.add(server.publish(HUB, partition, TestEvent.ofText("event-" + i)));
    }
    return stored;
  }

  private static List<Long> sequenceNumbers(
      EventHubConsumerAsyncClient consumer, EventPosition position, int count) {
    return consumer
        .receiveFromPartition("0", position)
        .map(e -> e.getData().getSequenceNumber())
        .take(count)
        .collectList()
        .block(WAIT);
  }
}
