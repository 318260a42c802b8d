package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code iomt.kafka.properties.*} reaches the Kafka clients with Kafka's dotted names, from a
 * configuration file and from environment variables (as a Helm chart sets them): the way to tune
 * the consumers' failover settings (docs/operations.md#scaling-and-failover).
 */
class KafkaPropertiesBindingTest {

  @Test
  void dottedKafkaPropertiesInAFileArePassedToTheClientsUnderTheirKafkaNames() {
    Map<String, Object> file = ServiceConfigurationTest.validFile();
    file.put("iomt.kafka.bootstrap-servers", "kafka:9092");
    file.put("iomt.kafka.properties.session.timeout.ms", "10000");
    file.put(
        "iomt.kafka.properties.partition.assignment.strategy",
        "org.apache.kafka.clients.consumer.RangeAssignor");

    ServiceConfiguration config =
        ServiceConfiguration.from(
            ServiceConfigurationTest.environment(file, Map.of()), Clock.systemUTC());

    assertThat(config.kafkaProperties())
        .containsEntry("bootstrap.servers", "kafka:9092")
        .containsEntry("session.timeout.ms", "10000")
        .containsEntry(
            "partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor");
  }

  @Test
  void anEnvironmentVariableSetsAKafkaPropertyToo() {
    Map<String, Object> file = ServiceConfigurationTest.validFile();
    file.put("iomt.kafka.bootstrap-servers", "kafka:9092");

    ServiceConfiguration config =
        ServiceConfiguration.from(
            ServiceConfigurationTest.environment(
                file, Map.of("IOMT_KAFKA_PROPERTIES_SESSION_TIMEOUT_MS", "10000")),
            Clock.systemUTC());

    assertThat(config.kafkaProperties()).containsEntry("session.timeout.ms", "10000");
  }
}
