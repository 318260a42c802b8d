package io.iomt.service.management;

import io.iomt.service.management.ResourceStore.StoreUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the resource store's topic when it is missing: one partition (the total order every
 * replica's decisions rest on), {@code cleanup.policy=compact}, replicated on up to three brokers;
 * refuses an existing topic that has more partitions or is not compacted.
 */
final class ResourceStoreTopic {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceStoreTopic.class);

  private static final Duration METADATA_POLL = Duration.ofMillis(50);

  private ResourceStoreTopic() {}

  /**
   * @throws IllegalStateException when the topic exists but cannot hold the store
   * @throws StoreUnavailableException when the broker does not answer within {@code timeout}
   */
  static void ensure(Admin admin, String topic, Duration timeout) {
    try {
      TopicDescription existing = describe(admin, topic, timeout);
      if (existing == null) {
        create(admin, topic, timeout);
        // The broker answers the creation before every broker's metadata shows the topic.
        long deadline = System.nanoTime() + timeout.toNanos();
        while ((existing = describe(admin, topic, timeout)) == null) {
          if (System.nanoTime() > deadline) {
            throw new StoreUnavailableException(
                "The topic " + topic + " was created but is not described in " + timeout, null);
          }
          Thread.sleep(METADATA_POLL.toMillis());
        }
      }
      check(admin, existing, timeout);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new StoreUnavailableException(
          "Cannot set up the resource store's topic " + topic + ": " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("Interrupted while setting up " + topic, e);
    }
  }

  private static TopicDescription describe(Admin admin, String topic, Duration timeout)
      throws ExecutionException, TimeoutException, InterruptedException {
    try {
      return admin
          .describeTopics(List.of(topic))
          .topicNameValues()
          .get(topic)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return null;
      }
      throw e;
    }
  }

  private static void create(Admin admin, String topic, Duration timeout)
      throws ExecutionException, TimeoutException, InterruptedException {
    int brokers =
        admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
    short replication = (short) Math.max(1, Math.min(3, brokers));
    NewTopic wanted =
        new NewTopic(topic, 1, replication)
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    try {
      admin.createTopics(List.of(wanted)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info(
          "Created the resource store's topic {} (1 partition, compacted, replication {})",
          topic,
          replication);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }

  private static void check(Admin admin, TopicDescription topic, Duration timeout)
      throws InterruptedException {
    int partitions = topic.partitions().size();
    if (partitions != 1) {
      throw new IllegalStateException(
          "The topic "
              + topic.name()
              + " has "
              + partitions
              + " partitions; the resource store needs exactly one, the single order in which"
              + " every replica decides conditional writes. Set iomt.management.topic to a new"
              + " topic (it is created with one partition), or recreate this one with one.");
    }
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
    Config config;
    try {
      config =
          admin
              .describeConfigs(List.of(resource))
              .all()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .get(resource);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn(
          "Cannot read the configuration of {} to check that it is compacted: {}",
          topic.name(),
          e.toString());
      return;
    }
    ConfigEntry policy = config == null ? null : config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
    if (policy != null
        && policy.value() != null
        && !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
      throw new IllegalStateException(
          "The topic "
              + topic.name()
              + " has cleanup.policy="
              + policy.value()
              + "; the resource store needs cleanup.policy=compact, or the broker would delete"
              + " resources once they are older than the retention. Set it with"
              + " kafka-configs --alter --add-config cleanup.policy=compact.");
    }
  }
}
