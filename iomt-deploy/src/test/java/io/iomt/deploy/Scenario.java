package io.iomt.deploy;

import java.nio.file.Path;

/**
 * The values files the chart is tested with (iomt-deploy/src/test/resources/values/), each rendered
 * with the sample mappings of samples/ as the chart's {@code mappings}.
 */
enum Scenario {
  /** A Kafka cluster with SASL; two connectors reading their source topics; KEDA on. */
  KAFKA_SOURCE("kafka-source.yaml"),
  /** An Event Hub over AMQP, Event Hubs' Kafka endpoint, workload identity, Key Vault CSI. */
  EVENT_HUBS_SOURCE("event-hubs-source.yaml"),
  /** Fixed replicas, an existing Secret, no KEDA, no spread, no PodDisruptionBudget. */
  AUTOSCALING_OFF("autoscaling-off.yaml");

  private final String file;

  Scenario(String file) {
    this.file = file;
  }

  Path valuesFile() {
    return RenderedChart.MODULE.resolve("src/test/resources/values").resolve(file);
  }
}
