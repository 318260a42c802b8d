package io.iomt.embedded.kafka;

import static io.iomt.embedded.kafka.Clients.poll;
import static io.iomt.embedded.kafka.Clients.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

  private static final String CONNECTION_STRING =
      "Endpoint=sb://iomt-test.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
          + "SharedAccessKey="
          + UUID.randomUUID();

  @TempDir static Path dataDir;
  private static EmbeddedKafkaBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedKafkaBroker.startWithEventHubsListener(dataDir, CONNECTION_STRING);
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void recordsProducedToAPartitionAreConsumedInOrderWithTheirKeys() throws Exception {
    String topic = uniqueTopic();
    broker.createTopic(topic, 3);
    try (KafkaProducer<String, String> producer = producer()) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>(topic, "device-1", "m" + i)).get();
      }
      producer.send(new ProducerRecord<>(topic, "device-2", "other")).get();
    }

    try (KafkaConsumer<String, String> consumer = consumer(uniqueGroup())) {
      consumer.subscribe(List.of(topic));
      List<ConsumerRecord<String, String>> records = poll(consumer, 11);

      assertThat(consumer.partitionsFor(topic)).hasSize(3);
      assertThat(records).hasSize(11);
      List<ConsumerRecord<String, String>> ofDevice1 =
          records.stream().filter(r -> r.key().equals("device-1")).toList();
      assertThat(values(ofDevice1))
          .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> "m" + i).toList());
      assertThat(ofDevice1.stream().map(ConsumerRecord::partition).distinct()).hasSize(1);
    }
  }

  @Test
  void aNewConsumerOfTheSameGroupResumesAfterTheCommittedOffset() throws Exception {
    String topic = uniqueTopic();
    produce(topic, 10);
    TopicPartition partition = new TopicPartition(topic, 0);
    String group = uniqueGroup();

    try (KafkaConsumer<String, String> first = consumer(group)) {
      first.subscribe(List.of(topic));
      assertThat(poll(first, 10)).hasSize(10);
      first.commitSync(Map.of(partition, new OffsetAndMetadata(6)));
    }
    try (KafkaConsumer<String, String> second = consumer(group)) {
      second.subscribe(List.of(topic));
      List<ConsumerRecord<String, String>> records = poll(second, 4);

      assertThat(values(records)).containsExactly("v6", "v7", "v8", "v9");
      assertThat(records.get(0).offset()).isEqualTo(6);
    }
  }

  @Test
  void aReadCommittedConsumerNeverSeesTheRecordsOfAnAbortedTransaction() throws Exception {
    String topic = uniqueTopic();
    broker.createTopic(topic, 1);
    Map<String, Object> transactional =
        Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + UUID.randomUUID());
    try (KafkaProducer<String, String> producer =
        Clients.producer(broker.bootstrapServers(), transactional)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "d", "committed-1"));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "d", "aborted-1"));
      producer.send(new ProducerRecord<>(topic, "d", "aborted-2"));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "d", "committed-2"));
      producer.commitTransaction();
    }

    try (KafkaConsumer<String, String> committed = consumer(uniqueGroup(), "read_committed");
        KafkaConsumer<String, String> uncommitted = consumer(uniqueGroup(), "read_uncommitted")) {
      committed.subscribe(List.of(topic));
      uncommitted.subscribe(List.of(topic));

      assertThat(values(poll(committed, 2))).containsExactly("committed-1", "committed-2");
      assertThat(values(poll(uncommitted, 4)))
          .containsExactly("committed-1", "aborted-1", "aborted-2", "committed-2");
    }
  }

  @Test
  void aClientConfiguredLikeForEventHubsProducesAndConsumes() throws Exception {
    String topic = uniqueTopic();
    Map<String, Object> eventHubs = Clients.eventHubs(CONNECTION_STRING);
    try (KafkaProducer<String, String> producer =
        Clients.producer(broker.eventHubsBootstrapServers(), eventHubs)) {
      producer.send(new ProducerRecord<>(topic, "device-1", "over SASL")).get();
    }

    try (KafkaConsumer<String, String> consumer =
        Clients.consumer(broker.eventHubsBootstrapServers(), uniqueGroup(), eventHubs)) {
      consumer.subscribe(List.of(topic));

      assertThat(values(poll(consumer, 1))).containsExactly("over SASL");
    }
  }

  @Test
  void aClientWithAWrongConnectionStringIsRefusedWithAnAuthenticationError() {
    String topic = uniqueTopic();
    Map<String, Object> wrong = Clients.eventHubs(CONNECTION_STRING + "x");
    try (KafkaProducer<String, String> producer =
            Clients.producer(broker.eventHubsBootstrapServers(), wrong);
        KafkaConsumer<String, String> consumer =
            Clients.consumer(broker.eventHubsBootstrapServers(), uniqueGroup(), wrong)) {
      consumer.subscribe(List.of(topic));

      assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "d", "v")).get())
          .hasCauseInstanceOf(SaslAuthenticationException.class);
      assertThatThrownBy(() -> poll(consumer, 1))
          .isInstanceOf(SaslAuthenticationException.class)
          .hasMessageContaining("Invalid username or password");
    }
  }

  @Test
  void anUnsignedTokenWithTheNamespaceScopeProducesAndConsumesOverOAuthBearer() throws Exception {
    String topic = uniqueTopic();
    Map<String, Object> oauth = Clients.oauthBearer(broker.eventHubsOAuthScope());
    try (KafkaProducer<String, String> producer =
        Clients.producer(broker.eventHubsBootstrapServers(), oauth)) {
      producer.send(new ProducerRecord<>(topic, "device-1", "over OAUTHBEARER")).get();
    }

    try (KafkaConsumer<String, String> consumer =
        Clients.consumer(broker.eventHubsBootstrapServers(), uniqueGroup(), oauth)) {
      consumer.subscribe(List.of(topic));

      assertThat(values(poll(consumer, 1))).containsExactly("over OAUTHBEARER");
    }
    assertThat(broker.eventHubsNamespace()).isEqualTo("iomt-test.servicebus.windows.net");
    assertThat(broker.eventHubsOAuthScope())
        .isEqualTo("https://iomt-test.servicebus.windows.net/.default");
  }

  @Test
  void aTokenWithoutTheNamespaceScopeIsRefusedWithAnAuthenticationError() {
    Map<String, Object> other =
        Clients.oauthBearer("https://other.servicebus.windows.net/.default");
    try (KafkaConsumer<String, String> consumer =
        Clients.consumer(broker.eventHubsBootstrapServers(), uniqueGroup(), other)) {
      consumer.subscribe(List.of(uniqueTopic()));

      assertThatThrownBy(() -> poll(consumer, 1))
          .isInstanceOf(SaslAuthenticationException.class)
          .hasMessageContaining("insufficient_scope");
    }
  }

  /**
   * Defect 9: right after {@code createTopic} returned, a describe could still fail with
   * UnknownTopicOrPartition (inside {@code createTopic} itself, too) and a first produce with
   * NOT_LEADER_OR_FOLLOWER. The producer here does not retry, so any such error fails the test.
   */
  @Test
  void aCreatedTopicIsDescribedAndProducedToAtOnceEveryTime() throws Exception {
    Map<String, Object> noRetries =
        Map.of(
            ProducerConfig.RETRIES_CONFIG,
            0,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            false,
            ProducerConfig.ACKS_CONFIG,
            "all");
    try (Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
        KafkaProducer<String, String> producer =
            Clients.producer(broker.bootstrapServers(), noRetries)) {
      for (int i = 0; i < 40; i++) {
        String topic = uniqueTopic();
        broker.createTopic(topic, 3);

        TopicDescription description =
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        assertThat(description.partitions())
            .as("partitions of %s", topic)
            .hasSize(3)
            .allSatisfy(p -> assertThat(p.leader()).isNotNull());
        for (int partition = 0; partition < 3; partition++) {
          assertThat(producer.send(new ProducerRecord<>(topic, partition, "d", "v")).get().offset())
              .as("first offset of %s-%d", topic, partition)
              .isZero();
        }
      }
    }
  }

  @Test
  void creatingATopicThatExistsFails() {
    String topic = uniqueTopic();
    broker.createTopic(topic, 1);

    assertThatThrownBy(() -> broker.createTopic(topic, 2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(topic);
  }

  private static void produce(String topic, int count) throws Exception {
    try (KafkaProducer<String, String> producer = producer()) {
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, "d", "v" + i)).get();
      }
    }
  }

  private static KafkaProducer<String, String> producer() {
    return Clients.producer(broker.bootstrapServers(), Map.of());
  }

  private static KafkaConsumer<String, String> consumer(String group) {
    return consumer(group, "read_uncommitted");
  }

  private static KafkaConsumer<String, String> consumer(String group, String isolation) {
    return Clients.consumer(
        broker.bootstrapServers(), group, Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation));
  }

  private static String uniqueGroup() {
    return "group-" + UUID.randomUUID();
  }

  private static String uniqueTopic() {
    return "topic-" + UUID.randomUUID();
  }
}
