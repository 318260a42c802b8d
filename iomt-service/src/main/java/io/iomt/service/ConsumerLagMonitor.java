package io.iomt.service;

import io.iomt.pipeline.Connector;
import io.iomt.pipeline.StageName;
import io.micrometer.core.instrument.Gauge;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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

  private final ServiceConfiguration config;
  private final KafkaRuntime kafka;
  private final ServiceMetrics metrics;
  private final Map<String, AtomicLong> lags = new ConcurrentHashMap<>();
  private Admin admin;

  public ConsumerLagMonitor(
      ServiceConfiguration config, KafkaRuntime kafka, ServiceMetrics metrics) {
    this.config = config;
    this.kafka = kafka;
    this.metrics = metrics;
  }

  @Scheduled(initialDelay = 5_000, fixedDelay = 10_000)
  public void refresh() {
    try {
      if (admin == null) {
        admin = kafka.clients().admin();
      }
      for (ServiceConfiguration.ConnectorDefinition d : config.connectors()) {
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
        .describeTopics(java.util.List.of(topic))
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
    lags.computeIfAbsent(
            connector + "/" + stage,
            k -> {
              AtomicLong v = new AtomicLong();
              Gauge.builder("iomt.consumer.lag", v, AtomicLong::get)
                  .description("Records not yet committed by the stage's consumer group")
                  .baseUnit("records")
                  .tag("connector", connector)
                  .tag("stage", stage.id())
                  .register(metrics.registry());
              return v;
            })
        .set(lag);
  }

  public void close() {
    if (admin != null) {
      admin.close();
    }
  }
}
