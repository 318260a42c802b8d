package io.iomt.demo;

import io.iomt.pipeline.Connector;
import io.iomt.pipeline.KafkaClients;
import io.iomt.pipeline.StageName;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How many records a connector's two stages have not committed yet: device messages not yet
 * normalized, plus measurements not yet accepted by the FHIR server (the group stage commits only
 * after that). Zero means everything ingested so far is in FHIR, including on a re-run whose
 * Observations are there already. Not thread-safe.
 */
final class PipelineLag implements AutoCloseable {
  private final Admin admin;
  private final String connector;

  PipelineLag(KafkaClients clients, String connector) {
    this.admin = clients.admin();
    this.connector = connector;
  }

  /** The records both stages still have to commit; normalize first, so no record slips between. */
  long records() throws InterruptedException {
    return lag(StageName.NORMALIZE, connector + "-events")
        + lag(StageName.GROUP, connector + "-normalized");
  }

  private long lag(StageName stage, String topic) throws InterruptedException {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(Connector.groupId(connector, stage))
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(10, TimeUnit.SECONDS)
              .get(topic)
              .partitions()
              .stream()
              .collect(
                  Collectors.toMap(
                      p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
      long lag = 0;
      for (var end : admin.listOffsets(partitions).all().get(10, TimeUnit.SECONDS).entrySet()) {
        OffsetAndMetadata done = committed.get(end.getKey());
        lag += Math.max(0, end.getValue().offset() - (done == null ? 0 : done.offset()));
      }
      return lag;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read the consumer lag of topic " + topic, e);
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
