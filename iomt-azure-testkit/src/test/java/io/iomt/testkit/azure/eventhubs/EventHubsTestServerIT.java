package io.iomt.testkit.azure.eventhubs;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.eventhubs.EventData;
import com.azure.messaging.eventhubs.EventDataBatch;
import com.azure.messaging.eventhubs.EventHubConsumerAsyncClient;
import com.azure.messaging.eventhubs.EventHubProducerClient;
import com.azure.messaging.eventhubs.models.CreateBatchOptions;
import com.azure.messaging.eventhubs.models.EventPosition;
import com.azure.messaging.eventhubs.models.PartitionEvent;
import com.azure.messaging.eventhubs.models.SendOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventHubsTestServerIT {

  private static final String HUB = "telemetry";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private EventHubsTestServer server;

  @BeforeEach
  void start() {
    server =
        EventHubsTestServer.start(
            EventHubsTestServer.Options.create().hub(HUB, 4).sasKey("send-listen", "s3cret"));
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
}
