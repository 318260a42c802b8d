package io.iomt.embedded.kafka;

import static io.iomt.embedded.kafka.Clients.poll;
import static io.iomt.embedded.kafka.Clients.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerLifecycleIT {

  private static final String TOPIC = "device-events";
  private static final String GROUP = "normalize";

  @TempDir Path dataDir;
  private EmbeddedKafkaBroker broker;

  @AfterEach
  void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void aRestartOnTheSameDirectoryAndPortKeepsTopicsRecordsAndCommittedOffsets() throws Exception {
    broker = EmbeddedKafkaBroker.start(dataDir);
    int port = broker.port();
    broker.createTopic(TOPIC, 2);
    TopicPartition partition = new TopicPartition(TOPIC, 0);
    try (KafkaProducer<String, String> producer = producer()) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>(TOPIC, 0, "d", "v" + i)).get();
      }
    }
    try (KafkaConsumer<String, String> consumer = consumer(GROUP)) {
      consumer.subscribe(List.of(TOPIC));
      assertThat(poll(consumer, 10)).hasSize(10);
      consumer.commitSync(Map.of(partition, new OffsetAndMetadata(6)));
    }

    broker.stop();
    broker = EmbeddedKafkaBroker.start(dataDir, port);

    assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
    try (KafkaConsumer<String, String> resumed = consumer(GROUP);
        KafkaConsumer<String, String> fresh = consumer("audit")) {
      resumed.subscribe(List.of(TOPIC));
      fresh.subscribe(List.of(TOPIC));

      assertThat(values(poll(resumed, 4))).containsExactly("v6", "v7", "v8", "v9");
      assertThat(values(poll(fresh, 10))).hasSize(10).startsWith("v0").endsWith("v9");
      assertThat(resumed.partitionsFor(TOPIC)).hasSize(2);
    }
  }

  @Test
  void aProducerCreatedBeforeARestartOnTheSamePortSendsAfterIt() throws Exception {
    broker = EmbeddedKafkaBroker.start(dataDir);
    int port = broker.port();
    try (KafkaProducer<String, String> producer = producer()) {
      producer.send(new ProducerRecord<>(TOPIC, "d", "before")).get();

      broker.stop();
      broker = EmbeddedKafkaBroker.start(dataDir, port);
      producer.send(new ProducerRecord<>(TOPIC, "d", "after")).get();
    }

    try (KafkaConsumer<String, String> consumer = consumer("reader")) {
      consumer.subscribe(List.of(TOPIC));
      assertThat(values(poll(consumer, 2))).containsExactly("before", "after");
    }
  }

  @Test
  void aStoppedBrokerRefusesNewTopicsAndStopsOnlyOnce() {
    broker = EmbeddedKafkaBroker.start(dataDir);
    broker.stop();
    broker.stop();

    assertThatThrownBy(() -> broker.createTopic("late", 1))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(broker::eventHubsBootstrapServers)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no Event Hubs listener");
  }

  @Test
  void aBrokerWhosePortIsTakenFailsToStartAndLeavesItsDirectoryUsable() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> EmbeddedKafkaBroker.start(dataDir, taken.getLocalPort()))
          .hasStackTraceContaining("Address already in use");
    }

    broker = EmbeddedKafkaBroker.start(dataDir);
    broker.createTopic("after-failure", 1);
  }

  private KafkaProducer<String, String> producer() {
    return Clients.producer(broker.bootstrapServers(), Map.of());
  }

  private KafkaConsumer<String, String> consumer(String group) {
    return Clients.consumer(broker.bootstrapServers(), group, Map.of());
  }
}
