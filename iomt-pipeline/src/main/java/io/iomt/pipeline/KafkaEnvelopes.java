package io.iomt.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.measurement.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The envelope of a Kafka record: Body = the value, Properties = the headers, SystemProperties =
 * the record's position and time under Event Hubs' names ({@code x-opt-enqueued-time}, {@code
 * x-opt-offset}, {@code x-opt-sequence-number}, {@code x-opt-partition-key}). Headers named {@code
 * iothub-*} (IoT Hub routes them as application properties over the Kafka endpoint) are also copied
 * to SystemProperties, except {@code iothub-creation-time-utc}, so IotJsonPathContent finds {@code
 * $.SystemProperties.iothub-connection-device-id}.
 */
final class KafkaEnvelopes {
  private KafkaEnvelopes() {}

  static ObjectNode envelope(EnvelopeReader reader, ConsumerRecord<byte[], byte[]> record) {
    Map<String, String> properties = new LinkedHashMap<>();
    Map<String, String> system = new LinkedHashMap<>();
    for (Header h : record.headers()) {
      String value = h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
      properties.put(h.key(), value);
      if (h.key().startsWith("iothub-") && !h.key().equals("iothub-creation-time-utc")) {
        system.put(h.key(), value);
      }
    }
    system.put("x-opt-enqueued-time", Timestamps.format(ingestionTime(record)));
    system.put("x-opt-offset", Long.toString(record.offset()));
    system.put("x-opt-sequence-number", Long.toString(record.offset()));
    if (record.key() != null) {
      system.put("x-opt-partition-key", new String(record.key(), StandardCharsets.UTF_8));
    }
    return reader.envelope(
        record.value() == null ? new byte[0] : record.value(), properties, system);
  }

  static Instant ingestionTime(ConsumerRecord<?, ?> record) {
    return Instant.ofEpochMilli(record.timestamp());
  }
}
