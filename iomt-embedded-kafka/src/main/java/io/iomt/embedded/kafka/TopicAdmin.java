package io.iomt.embedded.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Creates topics through the Admin API and waits until the broker serves them, so that a client's
 * first describe, produce or consume never meets an unknown topic or a partition without a leader.
 * Stateless; each call uses its own client.
 *
 * <p>Why a describe alone is not enough: the controller acknowledges a creation before the broker
 * has applied it. The broker then first publishes the new metadata (a describe right after the
 * creation may still answer UNKNOWN_TOPIC_OR_PARTITION, before it) and only afterwards makes its
 * replica manager the partitions' leader (a produce in between, seeing a leader in the metadata,
 * gets NOT_LEADER_OR_FOLLOWER). So the wait asks the leader itself: a {@code ListOffsets} request,
 * which only the serving leader of a partition answers.
 */
final class TopicAdmin {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Duration INTERVAL = Duration.ofMillis(20);

  private TopicAdmin() {}

  /**
   * Creates {@code name} with {@code partitions} partitions and replication factor 1, and returns
   * once the metadata shows every partition with a leader and that leader serves it.
   *
   * @throws IllegalStateException if the topic exists already, the broker refuses it, or it is not
   *     served within 30 s
   */
  static void create(String bootstrapServers, String name, int partitions) {
    Map<String, Object> config =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) TIMEOUT.toMillis());
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try (Admin admin = Admin.create(config)) {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      String notYet = "";
      while (true) {
        Optional<String> waitingFor = notServed(admin, name, partitions, deadline);
        if (waitingFor.isEmpty()) {
          return;
        }
        notYet = waitingFor.get();
        if (System.nanoTime() - deadline >= 0) {
          throw new IllegalStateException(
              "topic " + name + " is not served within " + TIMEOUT + ": " + notYet);
        }
        Thread.sleep(INTERVAL.toMillis());
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create topic " + name, e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("topic " + name + " was not created within " + TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + name, e);
    }
  }

  /**
   * What keeps the topic from being served yet, or empty when it is: its metadata is visible with
   * every partition and a leader for each, and each leader answers a {@code ListOffsets} request.
   * Retriable errors mean "not yet"; others are thrown.
   */
  private static Optional<String> notServed(Admin admin, String name, int partitions, long deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    long wait = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    try {
      TopicDescription description =
          admin
              .describeTopics(Set.of(name))
              .allTopicNames()
              .get(wait, TimeUnit.MILLISECONDS)
              .get(name);
      if (description.partitions().size() != partitions) {
        return Optional.of(description.partitions().size() + " partitions in the metadata");
      }
      if (!description.partitions().stream()
          .map(TopicPartitionInfo::leader)
          .allMatch(l -> l != null)) {
        return Optional.of("partitions without a leader");
      }
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (TopicPartitionInfo p : description.partitions()) {
        latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest());
      }
      admin.listOffsets(latest).all().get(wait, TimeUnit.MILLISECONDS);
      return Optional.empty();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RetriableException) {
        return Optional.of(e.getCause().toString());
      }
      throw e;
    }
  }
}
