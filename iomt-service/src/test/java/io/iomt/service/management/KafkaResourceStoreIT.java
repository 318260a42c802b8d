package io.iomt.service.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iomt.embedded.kafka.EmbeddedKafkaBroker;
import io.iomt.pipeline.KafkaClients;
import io.iomt.service.management.ResourceStore.Expect;
import io.iomt.service.management.ResourceStore.PreconditionFailedException;
import io.iomt.service.management.ResourceStore.StoreUnavailableException;
import io.iomt.service.management.StoreRecord.Op;
import io.iomt.service.management.StoreRecord.Tombstone;
import io.iomt.service.management.StoreRecord.Write;
import io.iomt.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on a real KRaft broker, and what only a shared, compacted topic must do. */
class KafkaResourceStoreIT extends ResourceStoreContract {
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static Path dataDir;
  static EmbeddedKafkaBroker broker;

  String topic;
  final List<ResourceStore> replicas = new ArrayList<>();

  @BeforeAll
  static void startBroker() throws Exception {
    dataDir = Files.createTempDirectory("iomt-resource-store-kafka");
    broker = EmbeddedKafkaBroker.start(dataDir);
  }

  @AfterAll
  static void stopBroker() {
    broker.stop();
  }

  @AfterEach
  void closeReplicas() {
    replicas.forEach(ResourceStore::close);
  }

  @Override
  protected ResourceStore newStore() {
    topic = "iomt-management-" + UUID.randomUUID();
    return replica("replica-a", topic, TIMEOUT);
  }

  static KafkaClients clients(String instanceId) {
    return new KafkaClients(Map.of("bootstrap.servers", broker.bootstrapServers()))
        .withInstanceId(instanceId);
  }

  static KafkaResourceStore replica(String id, String topic, Duration timeout) {
    return new KafkaResourceStore(clients(id), topic, timeout, Clock.systemUTC(), id);
  }

  /** Another replica on the test's topic, started. */
  KafkaResourceStore started(String id, String onTopic) {
    KafkaResourceStore s = replica(id, onTopic, TIMEOUT);
    replicas.add(s);
    s.start();
    return s;
  }

  @Test
  void twoReplicasOnOneTopicConverge() {
    KafkaResourceStore b = started("replica-b", topic);

    StoredResource workspace = store.put(resource(WORKSPACE, "Succeeded"), Expect.ABSENT);
    b.awaitCurrent(TIMEOUT);
    assertThat(b.get(WORKSPACE)).contains(workspace);

    StoredResource connector = b.put(resource(CONNECTOR, "Creating"), Expect.ABSENT);
    b.delete(WORKSPACE, Expect.etag(workspace.etag()));
    store.awaitCurrent(TIMEOUT);

    assertThat(store.list()).containsExactly(connector).isEqualTo(b.list());
  }

  @Test
  void ofTwoConcurrentWritesExpectingTheSameVersionExactlyOneWinsOnBothReplicas() throws Exception {
    KafkaResourceStore b = started("replica-b", topic);
    StoredResource v1 = store.put(resource(WORKSPACE, "Creating"), Expect.ABSENT);
    b.awaitCurrent(TIMEOUT);

    CountDownLatch go = new CountDownLatch(1);
    ExecutorService writers = Executors.newFixedThreadPool(2);
    try {
      List<Future<Optional<StoredResource>>> results = new ArrayList<>();
      for (ResourceStore s : List.of(store, b)) {
        results.add(
            writers.submit(
                () -> {
                  go.await();
                  try {
                    return Optional.of(
                        s.put(resource(WORKSPACE, "Succeeded"), Expect.etag(v1.etag())));
                  } catch (PreconditionFailedException e) {
                    return Optional.<StoredResource>empty();
                  }
                }));
      }
      go.countDown();
      List<StoredResource> winners = new ArrayList<>();
      for (Future<Optional<StoredResource>> r : results) {
        r.get(1, TimeUnit.MINUTES).ifPresent(winners::add);
      }

      assertThat(winners).hasSize(1);
      StoredResource winner = winners.get(0);
      store.awaitCurrent(TIMEOUT);
      b.awaitCurrent(TIMEOUT);
      assertThat(store.get(WORKSPACE)).contains(winner);
      assertThat(b.get(WORKSPACE)).contains(winner);
      Await.untilAsserted(
          "the last record of the workspace states the winner",
          () -> assertThat(lastRecord(topic, WORKSPACE.key())).satisfies(states(winner)),
          TIMEOUT);
    } finally {
      writers.shutdownNow();
    }
  }

  @Test
  void aRejectedRecordIsRestoredSoThatAReplicaReadingTheCompactedLogHoldsTheAcceptedVersion() {
    StoredResource created = store.put(resource(WORKSPACE, "Creating"), Expect.ABSENT);
    StoredResource accepted =
        store.put(resource(WORKSPACE, "Succeeded"), Expect.etag(created.etag()));
    // A write of replica-a that lost a race: another replica read it first, with another version.
    send(
        topic,
        new Write(
            Op.PUT,
            "replica-a",
            "lost-race",
            Instant.now(),
            Expect.etag(created.etag()),
            null,
            WORKSPACE,
            resource(WORKSPACE, "Failed").withEtag("\"lost\"")));

    Await.untilAsserted(
        "replica-a restores the accepted version after its rejected record",
        () ->
            assertThat(lastRecord(topic, WORKSPACE.key()))
                .isInstanceOfSatisfying(
                    Write.class,
                    w -> {
                      assertThat(w.op()).isEqualTo(Op.RESTORE);
                      assertThat(w.supersedes()).isEqualTo("lost-race");
                      assertThat(w.resource()).isEqualTo(accepted);
                    }),
        TIMEOUT);
    assertThat(store.get(WORKSPACE)).contains(accepted);

    String compacted = compactedCopy(topic);
    assertThat(started("replica-late", compacted).get(WORKSPACE)).contains(accepted);
  }

  @Test
  void anUpdateThatIsTheOnlyRecordLeftByCompactionIsHeldByAReplicaStartingLater() {
    StoredResource created = store.put(resource(CONNECTOR, "Creating"), Expect.ABSENT);
    StoredResource updated =
        store.put(resource(CONNECTOR, "Updating"), Expect.etag(created.etag()));

    String compacted = compactedCopy(topic);

    assertThat(started("replica-late", compacted).list()).containsExactly(updated);
  }

  @Test
  void aReplicaStartedLaterCatchesUp() {
    store.put(resource(WORKSPACE, "Succeeded"), Expect.ABSENT);
    StoredResource connector = store.put(resource(CONNECTOR, "Creating"), Expect.ABSENT);
    store.put(resource(DESTINATION, "Creating"), Expect.ABSENT);
    connector = store.put(resource(CONNECTOR, "Succeeded"), Expect.etag(connector.etag()));
    store.delete(DESTINATION, Expect.ANY);

    KafkaResourceStore late = started("replica-late", topic);

    assertThat(late.list()).isEqualTo(store.list()).hasSize(2).contains(connector);
  }

  @Test
  void aDeletedResourceEndsWithATombstone() {
    store.put(resource(DESTINATION, "Succeeded"), Expect.ABSENT);
    store.delete(DESTINATION, Expect.PRESENT);

    Await.untilAsserted(
        "a tombstone after the deletion",
        () ->
            assertThat(lastRecord(topic, DESTINATION.key()))
                .isInstanceOfSatisfying(
                    Tombstone.class, t -> assertThat(t.writer()).isEqualTo("replica-a")),
        TIMEOUT);
    assertThat(started("replica-late", compactedCopy(topic)).list()).isEmpty();
  }

  @Test
  void aTopicWithMorePartitionsIsRefusedWithTheReason() {
    String wide = "iomt-management-wide-" + UUID.randomUUID();
    broker.createTopic(wide, 3);

    KafkaResourceStore s = replica("replica-b", wide, TIMEOUT);
    replicas.add(s);
    assertThatThrownBy(s::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(wide)
        .hasMessageContaining("has 3 partitions")
        .hasMessageContaining("exactly one");
  }

  @Test
  void writesFailWhileTheBrokerIsDownAndSucceedOnceItIsBack() {
    KafkaResourceStore s = replica("replica-short", topic, Duration.ofSeconds(3));
    replicas.add(s);
    s.start();
    StoredResource before = s.put(resource(WORKSPACE, "Creating"), Expect.ABSENT);

    int port = broker.port();
    broker.stop();
    try {
      assertThatThrownBy(() -> s.put(resource(WORKSPACE, "Failed"), Expect.etag(before.etag())))
          .isInstanceOf(StoreUnavailableException.class);
      assertThat(s.get(WORKSPACE)).contains(before);
    } finally {
      broker = EmbeddedKafkaBroker.start(dataDir, port);
    }

    StoredResource after =
        Await.until(
                "a write once the broker is back",
                () -> {
                  try {
                    return Optional.of(s.put(resource(WORKSPACE, "Succeeded"), Expect.PRESENT));
                  } catch (StoreUnavailableException e) {
                    return Optional.<StoredResource>empty();
                  }
                },
                Optional::isPresent,
                Duration.ofMinutes(1))
            .orElseThrow();
    store.awaitCurrent(TIMEOUT);
    assertThat(store.get(WORKSPACE)).contains(after);
    assertThat(s.get(WORKSPACE)).contains(after);
  }

  /** Checks that a record states {@code r} on its own: a put or restore of it. */
  static java.util.function.Consumer<StoreRecord> states(StoredResource r) {
    return record ->
        assertThat(record)
            .isInstanceOfSatisfying(
                Write.class,
                w -> {
                  assertThat(w.op()).isIn(Op.PUT, Op.RESTORE);
                  assertThat(w.resource()).isEqualTo(r);
                });
  }

  static void send(String topic, Write w) {
    try (KafkaProducer<byte[], byte[]> p = clients("raw").producer()) {
      p.send(new ProducerRecord<>(topic, 0, w.key().getBytes(StandardCharsets.UTF_8), w.toBytes()));
    }
  }

  static List<ConsumerRecord<byte[], byte[]>> raw(String topic) {
    TopicPartition tp = new TopicPartition(topic, 0);
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = clients("raw").consumer("raw-" + UUID.randomUUID())) {
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      while (c.position(tp) < end) {
        c.poll(Duration.ofMillis(200)).forEach(all::add);
      }
    }
    return all;
  }

  static StoreRecord lastRecord(String topic, String key) {
    ConsumerRecord<byte[], byte[]> last = null;
    for (ConsumerRecord<byte[], byte[]> r : raw(topic)) {
      if (key.equals(new String(r.key(), StandardCharsets.UTF_8))) {
        last = r;
      }
    }
    assertThat(last).as("a record of %s", key).isNotNull();
    Map<String, String> headers = new HashMap<>();
    for (Header h : last.headers()) {
      headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
    }
    return StoreRecord.parse(key, last.value(), headers);
  }

  /**
   * What compaction leaves of a topic at most: its last record per key, copied to a new compacted
   * topic (forcing the broker's cleaner in a test is slow and racy).
   */
  static String compactedCopy(String topic) {
    Map<String, ConsumerRecord<byte[], byte[]>> lastPerKey = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : raw(topic)) {
      String key = new String(r.key(), StandardCharsets.UTF_8);
      lastPerKey.remove(key);
      lastPerKey.put(key, r);
    }
    String copy = topic + "-compacted";
    try (Admin admin = clients("raw").admin()) {
      ResourceStoreTopic.ensure(admin, copy, TIMEOUT);
    }
    try (KafkaProducer<byte[], byte[]> p = clients("raw").producer()) {
      for (ConsumerRecord<byte[], byte[]> r : lastPerKey.values()) {
        p.send(new ProducerRecord<>(copy, 0, r.key(), r.value(), r.headers()));
      }
    }
    return copy;
  }
}
