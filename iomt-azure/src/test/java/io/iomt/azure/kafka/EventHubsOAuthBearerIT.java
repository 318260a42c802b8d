package io.iomt.azure.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iomt.embedded.kafka.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Azure AD login to an Event Hubs-style Kafka endpoint with the real Kafka client stack: the broker
 * (iomt-embedded-kafka) validates the unsecured JWTs that {@link UnsecuredJwtCredential} issues
 * with Kafka's built-in validator, requiring the namespace's scope; only TLS is missing (the
 * listener is SASL_PLAINTEXT).
 */
class EventHubsOAuthBearerIT {

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
  void clientsLoggedInWithAzureAdTokensProduceAndConsume() throws Exception {
    UnsecuredJwtCredential credential = new UnsecuredJwtCredential(Duration.ofHours(1));
    String topic = "oauth-" + UUID.randomUUID();
    try (EventHubsOAuthBearer login =
        EventHubsOAuthBearer.register(broker.eventHubsNamespace(), credential)) {
      try (KafkaProducer<String, String> producer = producer(login)) {
        producer.send(new ProducerRecord<>(topic, "device-1", "with Azure AD")).get();
      }
      try (KafkaConsumer<String, String> consumer = consumer(login)) {
        consumer.subscribe(List.of(topic));

        assertThat(values(poll(consumer, 1))).containsExactly("with Azure AD");
      }
    }

    assertThat(broker.eventHubsOAuthScope())
        .isEqualTo("https://iomt-test.servicebus.windows.net/.default");
    assertThat(credential.requests())
        .isNotEmpty()
        .allSatisfy(scopes -> assertThat(scopes).containsExactly(broker.eventHubsOAuthScope()));
  }

  @Test
  void aTokenForAnotherNamespaceIsRefusedByTheBroker() {
    UnsecuredJwtCredential credential = new UnsecuredJwtCredential(Duration.ofHours(1));
    try (EventHubsOAuthBearer login =
            EventHubsOAuthBearer.register("other.servicebus.windows.net", credential);
        KafkaProducer<String, String> producer = producer(login)) {

      assertThatThrownBy(() -> producer.send(new ProducerRecord<>("any", "d", "v")).get())
          .hasCauseInstanceOf(SaslAuthenticationException.class);
      assertThat(credential.requests())
          .containsOnly(List.of("https://other.servicebus.windows.net/.default"));
    }
  }

  @Test
  void aRefusedCredentialFailsTheClientNamingTheNamespaceAndClientsWorkAgainOnceItRecovers()
      throws Exception {
    UnsecuredJwtCredential credential = new UnsecuredJwtCredential(Duration.ofHours(1));
    credential.mode(UnsecuredJwtCredential.Mode.REFUSE);
    String topic = "oauth-" + UUID.randomUUID();
    try (EventHubsOAuthBearer login =
        EventHubsOAuthBearer.register(broker.eventHubsNamespace(), credential)) {

      assertThatThrownBy(() -> producer(login))
          .isInstanceOf(KafkaException.class)
          .rootCause()
          .hasMessage(
              "Azure AD gave no token for Event Hubs namespace iomt-test.servicebus.windows.net"
                  + " (scope https://iomt-test.servicebus.windows.net/.default):"
                  + " ClientAuthenticationException: "
                  + UnsecuredJwtCredential.REFUSAL);

      credential.mode(UnsecuredJwtCredential.Mode.ISSUE);
      try (KafkaProducer<String, String> producer = producer(login)) {
        producer.send(new ProducerRecord<>(topic, "d", "after recovery")).get();
      }
      try (KafkaConsumer<String, String> consumer = consumer(login)) {
        consumer.subscribe(List.of(topic));
        assertThat(values(poll(consumer, 1))).containsExactly("after recovery");
      }
    }
  }

  @Test
  void anExpiredTokenFailsTheClientWithoutShowingTheToken() {
    UnsecuredJwtCredential credential = new UnsecuredJwtCredential(Duration.ofHours(1));
    credential.mode(UnsecuredJwtCredential.Mode.EXPIRED);
    try (EventHubsOAuthBearer login =
        EventHubsOAuthBearer.register(broker.eventHubsNamespace(), credential)) {

      assertThatThrownBy(() -> consumer(login))
          .isInstanceOf(KafkaException.class)
          .rootCause()
          .hasMessageStartingWith(
              "Azure AD gave an expired token for Event Hubs namespace"
                  + " iomt-test.servicebus.windows.net")
          .message()
          .doesNotContain(credential.issuedTokens().get(0));
    }
  }

  /**
   * Kafka's login refreshes a token before it expires, and the broker (which ends sessions with
   * their token) re-authenticates the producer's connection with the new one: the producer keeps
   * working after the first token expired.
   */
  @Test
  void aShortLivedTokenIsRefreshedBeforeItExpiresAndTheClientKeepsWorking() throws Exception {
    UnsecuredJwtCredential credential = new UnsecuredJwtCredential(Duration.ofSeconds(6));
    String topic = "oauth-" + UUID.randomUUID();
    try (EventHubsOAuthBearer login =
            EventHubsOAuthBearer.register(broker.eventHubsNamespace(), credential);
        KafkaProducer<String, String> producer = producer(login)) {
      producer.send(new ProducerRecord<>(topic, "d", "first token")).get();
      Instant firstExpiry = credential.issuedExpiries().get(0);

      await(() -> credential.issuedExpiries().size() >= 2, Duration.ofSeconds(60));
      await(() -> Instant.now().isAfter(firstExpiry.plusSeconds(1)), Duration.ofSeconds(60));
      producer.send(new ProducerRecord<>(topic, "d", "refreshed token")).get();

      assertThat(credential.issuedExpiries().get(1)).isAfter(firstExpiry);
    }
    try (EventHubsOAuthBearer login =
            EventHubsOAuthBearer.register(
                broker.eventHubsNamespace(), new UnsecuredJwtCredential(Duration.ofHours(1)));
        KafkaConsumer<String, String> consumer = consumer(login)) {
      consumer.subscribe(List.of(topic));
      assertThat(values(poll(consumer, 2))).containsExactly("first token", "refreshed token");
    }
  }

  /**
   * The other side of the refresh: when the credential stops giving tokens, the broker ends the
   * session with the last token, and the client cannot re-authenticate: nothing is produced with an
   * expired token.
   */
  @Test
  void whenTheCredentialStopsGivingTokensTheClientIsRefusedOnceItsTokenExpired() throws Exception {
    UnsecuredJwtCredential credential = new UnsecuredJwtCredential(Duration.ofSeconds(4));
    String topic = "oauth-" + UUID.randomUUID();
    try (EventHubsOAuthBearer login =
            EventHubsOAuthBearer.register(broker.eventHubsNamespace(), credential);
        KafkaProducer<String, String> producer = producer(login)) {
      producer.send(new ProducerRecord<>(topic, "d", "first token")).get();
      credential.mode(UnsecuredJwtCredential.Mode.REFUSE);
      Instant expiry = credential.issuedExpiries().get(credential.issuedExpiries().size() - 1);

      await(() -> Instant.now().isAfter(expiry.plusSeconds(1)), Duration.ofSeconds(60));

      assertThatThrownBy(() -> producer.partitionsFor("oauth-" + UUID.randomUUID()))
          .isInstanceOf(SaslAuthenticationException.class)
          .hasMessageContaining("invalid_token");
    }
  }

  private static Map<String, Object> clientProperties(EventHubsOAuthBearer login) {
    Map<String, Object> p = new HashMap<>(login.clientProperties());
    p.put("bootstrap.servers", broker.eventHubsBootstrapServers());
    p.put("security.protocol", "SASL_PLAINTEXT");
    return p;
  }

  private static KafkaProducer<String, String> producer(EventHubsOAuthBearer login) {
    Map<String, Object> p = clientProperties(login);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  private static KafkaConsumer<String, String> consumer(EventHubsOAuthBearer login) {
    Map<String, Object> p = clientProperties(login);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "group-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
  }

  private static List<ConsumerRecord<String, String>> poll(
      KafkaConsumer<String, String> consumer, int count) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (records.size() < count && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }
    return records;
  }

  private static List<String> values(List<ConsumerRecord<String, String>> records) {
    return records.stream().map(ConsumerRecord::value).toList();
  }

  private static void await(java.util.function.BooleanSupplier condition, Duration atMost)
      throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + atMost);
      }
      Thread.sleep(100);
    }
  }
}
