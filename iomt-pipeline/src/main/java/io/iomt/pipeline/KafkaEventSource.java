package io.iomt.pipeline;

import io.iomt.core.measurement.Timestamps;
import io.iomt.pipeline.source.EventSource;
import io.iomt.pipeline.source.SourceEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;

/**
 * A Kafka topic (or an Event Hub through its Kafka endpoint) as an {@link EventSource}: a member of
 * a consumer group, committing offsets synchronously. The envelope's Properties are the record's
 * headers; SystemProperties are its position and time under Event Hubs' names ({@code
 * x-opt-enqueued-time}, {@code x-opt-offset}, {@code x-opt-sequence-number}, {@code
 * x-opt-partition-key}). Headers named {@code iothub-*} (IoT Hub routes them as application
 * properties over the Kafka endpoint) are also copied to SystemProperties, except {@code
 * iothub-creation-time-utc}, so IotJsonPathContent finds {@code
 * $.SystemProperties.iothub-connection-device-id}. Not thread-safe but for {@link #wakeup()}.
 */
public final class KafkaEventSource implements EventSource {
  private final Consumer<byte[], byte[]> consumer;
  private final String topic;

  public KafkaEventSource(Consumer<byte[], byte[]> consumer, String topic) {
    this.consumer = consumer;
    this.topic = topic;
  }

  @Override
  public void start() {
    consumer.subscribe(List.of(topic));
  }

  @Override
  public List<SourceEvent> poll(Duration timeout) {
    List<SourceEvent> out = new ArrayList<>();
    try {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
        out.add(event(r));
      }
    } catch (WakeupException e) {
      // Asked to stop: nothing was delivered by this poll.
    }
    return out;
  }

  @Override
  public void commit(List<SourceEvent> processed) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (SourceEvent e : processed) {
      offsets.merge(
          new TopicPartition(e.source(), e.partition()),
          new OffsetAndMetadata(e.position() + 1),
          (a, b) -> a.offset() >= b.offset() ? a : b);
    }
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets);
    } catch (WakeupException e) {
      // A stop request must not cost the commit of work already acknowledged: the wakeup is
      // consumed by the first attempt, so the second one completes.
      consumer.commitSync(offsets);
    }
  }

  @Override
  public void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close() {
    consumer.close();
  }

  /** The event of a record, with headers as properties and position as system properties. */
  static SourceEvent event(ConsumerRecord<byte[], byte[]> record) {
    List<SourceEvent.Property> properties = new ArrayList<>();
    Map<String, String> system = new LinkedHashMap<>();
    for (Header h : record.headers()) {
      properties.add(new SourceEvent.Property(h.key(), h.value()));
      if (h.key().startsWith("iothub-")
          && !h.key().equals("iothub-creation-time-utc")
          && h.value() != null) {
        system.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
      }
    }
    Instant ingestion = Instant.ofEpochMilli(record.timestamp());
    system.put("x-opt-enqueued-time", Timestamps.format(ingestion));
    system.put("x-opt-offset", Long.toString(record.offset()));
    system.put("x-opt-sequence-number", Long.toString(record.offset()));
    if (record.key() != null) {
      system.put("x-opt-partition-key", new String(record.key(), StandardCharsets.UTF_8));
    }
    return new SourceEvent(
        record.topic(),
        record.partition(),
        record.offset(),
        record.key(),
        record.value(),
        properties,
        system,
        ingestion);
  }
}
