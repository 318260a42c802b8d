package io.iomt.embedded.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Creates topics through the Admin API and waits until the broker serves them, so that a test's
 * first produce or consume never meets an unknown topic. Stateless; each call uses its own client.
 */
final class TopicAdmin {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private TopicAdmin() {}

  /**
   * Creates {@code name} with {@code partitions} partitions and replication factor 1, and returns
   * once every partition has a leader.
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
    try (Admin admin = Admin.create(config)) {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!servesEveryPartition(admin, name)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("topic " + name + " has partitions without a leader");
        }
        Thread.sleep(20);
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create topic " + name, e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("topic " + name + " was not created within " + TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + name, e);
    }
  }

  private static boolean servesEveryPartition(Admin admin, String name)
      throws InterruptedException, ExecutionException {
    TopicDescription description =
        admin.describeTopics(Set.of(name)).allTopicNames().get().get(name);
    return description.partitions().stream()
        .map(TopicPartitionInfo::leader)
        .allMatch(l -> l != null);
  }
}
