package io.iomt.service;

import io.iomt.pipeline.Connector;
import io.iomt.pipeline.StageName;
import io.micrometer.core.instrument.Gauge;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Consumer lag of every connector's consumer groups (and of its dead-letter forwarder where one is
 * configured: dead letters not yet accepted by the customer's Event Hub), as the gauge {@code
 * iomt_consumer_lag_records{connector,stage}}: records in the topic not yet committed by the stage
 * (what KEDA scales on). Refreshed every 10 seconds from the broker.
 */
public final class ConsumerLagMonitor {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagMonitor.class);

  private final Supplier<List<ServiceConfiguration.ConnectorDefinition>> connectors;
  private final KafkaRuntime kafka;
  private final ServiceMetrics metrics;
  private final Map<String, AtomicLong> lags = new ConcurrentHashMap<>();
  private Admin admin;

  /**
   * @param connectors the connectors that run now (read at each refresh: those added later are
   *     measured, the gauges of those removed go)
   */
  public ConsumerLagMonitor(
      Supplier<List<ServiceConfiguration.ConnectorDefinition>> connectors,
      KafkaRuntime kafka,
      ServiceMetrics metrics) {
    this.connectors = connectors;
    this.kafka = kafka;
    this.metrics = metrics;
  }

  @Scheduled(initialDelay = 5_000, fixedDelay = 10_000)
  public void refresh() {
    try {
      if (admin == null) {
        admin = kafka.clients().admin();
      }
      List<ServiceConfiguration.ConnectorDefinition> current = connectors.get();
      forgetRemoved(current);
      for (ServiceConfiguration.ConnectorDefinition d : current) {
        if (d.readsSourceTopic()) { // an Event Hubs source has its own lag (EventHubsMetrics)
          update(d.name(), StageName.NORMALIZE, d.settings().topics().source());
        }
        update(d.name(), StageName.GROUP, d.settings().topics().normalized());
        if (d.stages().contains(StageName.FORWARD_ERRORS)) {
          update(d.name(), StageName.FORWARD_ERRORS, d.settings().topics().errors());
        }
      }
    } catch (Exception e) {
      LOG.debug("Consumer lag not refreshed: {}", e.toString());
    }
  }

  private void update(String connector, StageName stage, String topic) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(Connector.groupId(connector, stage))
            .partitionsToOffsetAndMetadata()
            .get(5, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    admin
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get(5, TimeUnit.SECONDS)
        .get(topic)
        .partitions()
        .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
        admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
    long lag = 0;
    for (var e : ends.entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      lag += Math.max(0, e.getValue().offset() - (c == null ? 0 : c.offset()));
    }
    AtomicLong value = lags.computeIfAbsent(connector + "/" + stage.id(), k -> new AtomicLong());
    value.set(lag);
    // Registered each time: a connector removed and added again gets its gauge back.
    Gauge.builder("iomt.consumer.lag", value, AtomicLong::get)
        .description("Records not yet committed by the stage's consumer group")
        .baseUnit("records")
        .tag("connector", connector)
        .tag("stage", stage.id())
        .register(metrics.registry());
  }

  /**
   * The lag last measured of each of the connector's stages, in stage order; a stage not measured
   * yet (or whose lag is not the broker's: an Event Hubs source's normalize stage) is absent.
   * Thread-safe; never waits for the broker.
   */
  public Map<StageName, Long> lags(String connector) {
    Map<StageName, Long> out = new EnumMap<>(StageName.class);
    for (StageName stage : StageName.values()) {
      AtomicLong value = lags.get(connector + "/" + stage.id());
      if (value != null) {
        out.put(stage, value.get());
      }
    }
    return out;
  }

  /** Drops the gauges of connectors (or stages) that no longer run. */
  private void forgetRemoved(List<ServiceConfiguration.ConnectorDefinition> current) {
    Set<String> wanted = new HashSet<>();
    for (ServiceConfiguration.ConnectorDefinition d : current) {
      d.stages().forEach(stage -> wanted.add(d.name() + "/" + stage.id()));
    }
    for (String key : List.copyOf(lags.keySet())) {
      if (!wanted.contains(key)) {
        lags.remove(key);
        int slash = key.lastIndexOf('/');
        metrics
            .registry()
            .find("iomt.consumer.lag")
            .tag("connector", key.substring(0, slash))
            .tag("stage", key.substring(slash + 1))
            .meters()
            .forEach(metrics.registry()::remove);
      }
    }
  }

  public void close() {
    if (admin != null) {
      admin.close();
    }
  }
}
