package io.iomt.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.junit.jupiter.api.Test;

/** The consumers' failover settings: defaults, what can be overridden and what cannot. */
class KafkaClientsTest {
  private static final Map<String, String> BROKER = Map.of("bootstrap.servers", "127.0.0.1:9092");

  @Test
  void consumersGiveUpADeadMembersPartitionsAfterSixSecondsWithKafkasEagerAssignors() {
    Map<String, Object> c = new KafkaClients(BROKER).consumerConfig("iomt-icu-group");

    assertThat(c)
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000")
        .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "2000")
        // Cooperative rebalancing makes commits fail during rebalances: not by default.
        .doesNotContainKey(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
    // Three heartbeats fit in a session, and the broker's default minimum session (6 s) is met.
    int session = Integer.parseInt((String) c.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
    int heartbeat = Integer.parseInt((String) c.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG));
    assertThat(3 * heartbeat).isLessThanOrEqualTo(session);
    assertThat(session).isGreaterThanOrEqualTo(6000);
  }

  @Test
  void theFailoverSettingsCanBeOverriddenByTheCommonProperties() {
    Map<String, Object> c =
        new KafkaClients(
                Map.of(
                    "bootstrap.servers", "127.0.0.1:9092",
                    "session.timeout.ms", "45000",
                    "heartbeat.interval.ms", "3000",
                    "partition.assignment.strategy", RangeAssignor.class.getName()))
            .consumerConfig("iomt-icu-group");

    assertThat(c)
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "45000")
        .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000")
        .containsEntry(
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
  }

  @Test
  void theSettingsDeliveryReliesOnAndTheStaticMemberIdCannotBeOverridden() {
    Map<String, Object> c =
        new KafkaClients(
                Map.of(
                    "bootstrap.servers", "127.0.0.1:9092",
                    "enable.auto.commit", "true",
                    "isolation.level", "read_uncommitted",
                    "group.instance.id", "someone-else"))
            .withInstanceId("iomt-replica-1")
            .consumerConfig("iomt-icu-normalize");

    assertThat(c)
        .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "iomt-icu-normalize")
        .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "iomt-replica-1");
    assertThat(new KafkaClients(BROKER).consumerConfig("g"))
        .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
  }
}
