package io.iomt.azure.eventhubs;

import com.azure.core.amqp.models.AmqpMessageBody;
import com.azure.core.amqp.models.AmqpMessageBodyType;
import com.azure.messaging.eventhubs.EventData;
import io.iomt.core.measurement.Timestamps;
import io.iomt.pipeline.source.SourceEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An event read over AMQP as the envelope device mappings see, the same as MedTech builds it:
 *
 * <ul>
 *   <li>{@code Body}: the AMQP data section as sent (an AMQP value section holding a string: that
 *       string's UTF-8 bytes);
 *   <li>{@code Properties}: the AMQP application properties (what a device SDK sets as message
 *       properties, e.g. IoT Hub's {@code iothub-creation-time-utc});
 *   <li>{@code SystemProperties}: the message annotations (Event Hubs' {@code
 *       x-opt-sequence-number}, {@code x-opt-offset}, {@code x-opt-enqueued-time}, {@code
 *       x-opt-partition-key}; IoT Hub's {@code iothub-connection-device-id}, {@code
 *       iothub-connection-module-id}, {@code iothub-connection-auth-method}, {@code
 *       iothub-connection-auth-generation-id}, {@code iothub-enqueuedtime}, {@code
 *       iothub-message-source}, ...) and the AMQP message properties under their AMQP names ({@code
 *       message-id}, {@code user-id}, {@code correlation-id}, {@code content-type}, {@code
 *       content-encoding}, {@code creation-time}, ...), as the Event Hubs SDKs name them.
 * </ul>
 *
 * Values are text: timestamps as ISO-8601 UTC ({@code 2026-11-30T08:00:00.123Z}), numbers in
 * decimal, binary values as UTF-8, anything else as its string form. Stateless.
 */
public final class EventHubsEnvelope {
  private EventHubsEnvelope() {}

  /** The source event of one received {@code event} of {@code partition}. */
  public static SourceEvent of(String eventHub, String partition, EventData event) {
    List<SourceEvent.Property> properties = new ArrayList<>();
    event
        .getProperties()
        .forEach((name, value) -> properties.add(new SourceEvent.Property(name, bytes(value))));
    Map<String, String> system = new LinkedHashMap<>();
    event
        .getSystemProperties()
        .forEach(
            (name, value) -> {
              if (value != null) {
                system.put(name, text(value));
              }
            });
    Instant enqueued = event.getEnqueuedTime() == null ? Instant.EPOCH : event.getEnqueuedTime();
    long sequence = event.getSequenceNumber() == null ? -1 : event.getSequenceNumber();
    // The SDK reads these four annotations into fields and leaves them out of the map.
    system.put("x-opt-sequence-number", Long.toString(sequence));
    if (event.getOffsetString() != null) {
      system.put("x-opt-offset", event.getOffsetString());
    }
    system.put("x-opt-enqueued-time", Timestamps.format(enqueued));
    String key = event.getPartitionKey();
    if (key != null) {
      system.put("x-opt-partition-key", key);
    }
    return new SourceEvent(
        eventHub,
        Integer.parseInt(partition),
        sequence,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        body(event),
        properties,
        system,
        enqueued);
  }

  /** The offset the event carried ({@code x-opt-offset}), which a checkpoint records. */
  public static String offset(SourceEvent event) {
    return event.systemProperties().get("x-opt-offset");
  }

  private static byte[] body(EventData event) {
    AmqpMessageBody body = event.getRawAmqpMessage().getBody();
    if (body.getBodyType() == AmqpMessageBodyType.VALUE) {
      Object value = body.getValue();
      return value == null ? new byte[0] : bytes(value);
    }
    return event.getBody();
  }

  private static byte[] bytes(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof byte[] b) {
      return b;
    }
    return text(value).getBytes(StandardCharsets.UTF_8);
  }

  static String text(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Instant i) {
      return Timestamps.format(i);
    }
    if (value instanceof Date d) {
      return Timestamps.format(d.toInstant());
    }
    if (value instanceof OffsetDateTime o) {
      return Timestamps.format(o.toInstant());
    }
    if (value instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    return String.valueOf(value);
  }
}
