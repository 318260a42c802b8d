package io.iomt.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka clients of the connectors, all from one set of common properties ({@code
 * bootstrap.servers} plus whatever the cluster needs, e.g. {@code security.protocol=SASL_SSL} and a
 * JAAS config for an Event Hubs namespace). The settings the delivery guarantees rely on are fixed
 * here and cannot be overridden: manual commits, {@code read_committed}, {@code acks=all} with
 * idempotence. A record size the clients must carry raises the producers' {@code max.request.size}
 * and the {@code max.message.bytes} of the topics created here (never lowers Kafka's defaults).
 */
public final class KafkaClients {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaClients.class);

  /**
   * How long a member that stopped heart-beating (killed, partitioned) keeps its partitions before
   * the others take them over: Kafka's default is 45 s; 6 s is the least a broker accepts by
   * default ({@code group.min.session.timeout.ms}) and lets a killed replica's partitions resume
   * elsewhere within about 10 s (docs/operations.md#scaling-and-failover has the measurements).
   */
  static final String SESSION_TIMEOUT_MS = "6000";

  /** A third of the session timeout, as Kafka advises: three missed heartbeats end a session. */
  static final String HEARTBEAT_INTERVAL_MS = "2000";

  /*
   * The assignors stay Kafka's ([Range, CooperativeSticky]: eager rebalancing). With the
   * cooperative protocol a commit made while a rebalance is in progress fails with
   * RebalanceInProgressException, which the stages' commit-after-write does not retry: measured in
   * ScaleOutIT, the group stage failed and restarted in a loop (docs/operations.md).
   */

  /** Kafka's default {@code max.request.size} and, about, {@code message.max.bytes}. */
  private static final int KAFKA_DEFAULT_MAX_RECORD = 1024 * 1024 + 12;

  private static final long KAFKA_DEFAULT_BUFFER_MEMORY = 32L * 1024 * 1024;

  private final Map<String, Object> common;
  private final int maxRecordBytes;
  private final String instanceId;

  public KafkaClients(Map<String, ?> common) {
    this(common, 0);
  }

  /**
   * @param maxRecordBytes the largest record batch the producers must send and the topics created
   *     here must take (0: Kafka's defaults)
   */
  public KafkaClients(Map<String, ?> common, int maxRecordBytes) {
    this(common, maxRecordBytes, null);
  }

  private KafkaClients(Map<String, ?> common, int maxRecordBytes, String instanceId) {
    this.common = Map.copyOf(common);
    this.maxRecordBytes = Math.max(maxRecordBytes, KAFKA_DEFAULT_MAX_RECORD);
    this.instanceId = instanceId;
    if (!this.common.containsKey("bootstrap.servers")) {
      throw new IllegalArgumentException("bootstrap.servers is required");
    }
  }

  /**
   * The same clients as static members of their consumer groups ({@code group.instance.id}): a
   * replica that restarts with the same id (after a crash, on the same data directory) gets its
   * partitions back at once instead of waiting for its old session to expire, while a replica that
   * does not come back still loses them after the session timeout (6 s). Ids must be unique per
   * replica; {@link Connector#close()} leaves the groups explicitly, so scaling in does not wait
   * for the timeout either.
   */
  public KafkaClients withInstanceId(String id) {
    return new KafkaClients(common, maxRecordBytes, id);
  }

  /** The static member id of this replica, or null for dynamic membership. */
  public String instanceId() {
    return instanceId;
  }

  /** The producers' {@code max.request.size}: the largest record they send. */
  public int maxRecordBytes() {
    return maxRecordBytes;
  }

  public String bootstrapServers() {
    return String.valueOf(common.get("bootstrap.servers"));
  }

  public KafkaConsumer<byte[], byte[]> consumer(String groupId) {
    return new KafkaConsumer<>(
        consumerConfig(groupId), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The properties {@link #consumer} creates its consumer with. */
  Map<String, Object> consumerConfig(String groupId) {
    Map<String, Object> p = new HashMap<>(common);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
    p.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
    p.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, HEARTBEAT_INTERVAL_MS);
    if (instanceId != null) {
      p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
    }
    return p;
  }

  /**
   * A consumer in no group, for reading a topic at positions the caller assigns and seeks (e.g. the
   * console browsing an error topic): it never commits and joins no group, so it changes no stage's
   * progress. {@code read_committed} as the stages read.
   */
  public KafkaConsumer<byte[], byte[]> reader() {
    Map<String, Object> p = new HashMap<>(common);
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    p.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  public KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> p = new HashMap<>(common);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestSize());
    p.put(
        ProducerConfig.BUFFER_MEMORY_CONFIG,
        Math.max(KAFKA_DEFAULT_BUFFER_MEMORY, 2L * maxRecordBytes));
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * The producers' {@code max.request.size}: {@link #maxRecordBytes()}, or more if configured; dead
   * letters are cut to fit it.
   */
  public int maxRequestSize() {
    Object configured = common.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    return configured == null
        ? maxRecordBytes
        : Math.max(maxRecordBytes, Integer.parseInt(configured.toString().trim()));
  }

  public Admin admin() {
    return Admin.create(new HashMap<>(common));
  }

  /**
   * Leaves a consumer group as a static member, so that the others take its partitions now rather
   * than after the session timeout; does nothing for dynamic members (their close leaves). Best
   * effort: a failure only means the partitions move after the timeout.
   */
  public void leaveGroup(String groupId) {
    if (instanceId == null) {
      return;
    }
    try (Admin admin = admin()) {
      admin
          .removeMembersFromConsumerGroup(
              groupId,
              new RemoveMembersFromConsumerGroupOptions(List.of(new MemberToRemove(instanceId))))
          .all()
          .get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.debug("{} did not leave {}: {}", instanceId, groupId, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A topic to create when missing. */
  public record TopicSpec(String name, int partitions) {}

  /**
   * Creates the topics that do not exist yet (with the cluster's default replication); existing
   * ones are left as they are.
   *
   * @throws IllegalStateException naming the topic and the broker's reason when one cannot be made
   */
  public void ensureTopics(List<TopicSpec> topics) {
    Map<String, String> configs =
        maxRecordBytes > KAFKA_DEFAULT_MAX_RECORD
            ? Map.of("max.message.bytes", Integer.toString(maxRecordBytes))
            : Map.of();
    try (Admin admin = admin()) {
      List<TopicSpec> refusedConfigs = create(admin, topics, configs);
      // A broker that takes no topic configs (e.g. Event Hubs) gets the topics with its defaults;
      // a record over its limit is then refused at ingest.
      create(admin, refusedConfigs, Map.of());
    }
  }

  /** Creates the topics; returns those the broker refused because of the configs. */
  private static List<TopicSpec> create(
      Admin admin, List<TopicSpec> topics, Map<String, String> configs) {
    Map<String, TopicSpec> byName = new HashMap<>();
    List<NewTopic> wanted = new ArrayList<>();
    for (TopicSpec t : topics) {
      byName.put(t.name(), t);
      wanted.add(
          new NewTopic(t.name(), Optional.of(t.partitions()), Optional.empty()).configs(configs));
    }
    List<TopicSpec> refusedConfigs = new ArrayList<>();
    if (wanted.isEmpty()) {
      return refusedConfigs;
    }
    var result = admin.createTopics(wanted).values();
    for (var e : result.entrySet()) {
      try {
        e.getValue().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException ex) {
        if (!configs.isEmpty()
            && (ex.getCause() instanceof InvalidConfigurationException
                || ex.getCause() instanceof PolicyViolationException)) {
          refusedConfigs.add(byName.get(e.getKey()));
        } else if (!(ex.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException(
              "Cannot create topic " + e.getKey() + ": " + ex.getCause().getMessage(),
              ex.getCause());
        }
      } catch (TimeoutException ex) {
        throw new IllegalStateException(
            "Cannot create topic " + e.getKey() + ": the broker did not answer in 30 s", ex);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while creating topics", ex);
      }
    }
    return refusedConfigs;
  }
}
