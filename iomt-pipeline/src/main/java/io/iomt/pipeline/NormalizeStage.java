package io.iomt.pipeline;

import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.error.DataException;
import io.iomt.core.mapping.DeviceMapping;
import io.iomt.core.measurement.Measurement;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The normalize stage of one connector: device events → measurements on the normalized topic, keyed
 * by device id so that one device's measurements share a partition. Offsets of the source topic are
 * committed only after every produced record (measurements and dead letters) was acknowledged, so a
 * crash replays instead of losing. A message that cannot be read or mapped goes to the error topic
 * and processing continues. Not thread-safe: one thread runs it; {@link #close()} may be called
 * from another.
 */
public final class NormalizeStage implements Stage {
  /** Topics and polling of the stage. */
  public record Config(
      String sourceTopic, String normalizedTopic, String errorTopic, Duration pollTimeout) {}

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final DeviceMapping mapping;
  private final EnvelopeReader reader;
  private final Config config;
  private final StageMetrics metrics;
  private volatile boolean running = true;
  private volatile StageStatus status = new StageStatus.Starting();

  public NormalizeStage(
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> producer,
      DeviceMapping mapping,
      EnvelopeReader reader,
      Config config,
      StageMetrics metrics) {
    this.consumer = consumer;
    this.producer = producer;
    this.mapping = mapping;
    this.reader = reader;
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public StageName name() {
    return StageName.NORMALIZE;
  }

  @Override
  public StageStatus status() {
    return status;
  }

  @Override
  public void run() {
    consumer.subscribe(List.of(config.sourceTopic()));
    status = new StageStatus.Running();
    try {
      PollLoop.run(consumer, () -> running, this::runOnce);
    } finally {
      status = new StageStatus.Stopped("closed");
    }
  }

  /** One poll: normalize, produce, wait for acknowledgements, commit. */
  public void runOnce() {
    ConsumerRecords<byte[], byte[]> records = consumer.poll(config.pollTimeout());
    if (records.isEmpty()) {
      return;
    }
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      metrics.incoming();
      try {
        List<Measurement> measurements =
            mapping.normalize(
                KafkaEnvelopes.envelope(reader, record), KafkaEnvelopes.ingestionTime(record));
        for (Measurement m : measurements) {
          sends.add(
              producer.send(
                  new ProducerRecord<>(
                      config.normalizedTopic(),
                      m.deviceId().getBytes(StandardCharsets.UTF_8),
                      MeasurementCodec.encode(m))));
        }
        metrics.normalized(measurements.size());
      } catch (DataException e) {
        metrics.error(e);
        sends.add(producer.send(DeadLetters.of(config.errorTopic(), record, e)));
      }
      offsets.put(
          new TopicPartition(record.topic(), record.partition()),
          new OffsetAndMetadata(record.offset() + 1));
    }
    producer.flush();
    PollLoop.awaitAcks(sends);
    consumer.commitSync(offsets);
    Instant acked = Instant.now();
    Map<Integer, Instant> latest = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      Instant ingestion = KafkaEnvelopes.ingestionTime(record);
      metrics.normalizeLatency(Duration.between(ingestion, acked));
      latest.merge(record.partition(), ingestion, (a, b) -> a.isAfter(b) ? a : b);
    }
    latest.forEach(
        (partition, ingestion) -> metrics.processedUpTo("normalize", partition, ingestion));
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
  }
}
