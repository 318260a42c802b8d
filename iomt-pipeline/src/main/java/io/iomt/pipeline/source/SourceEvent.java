package io.iomt.pipeline.source;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One device event as a source delivered it, independent of the transport.
 *
 * @param source where it was read: a topic or an event hub name
 * @param partition the source partition; events of one partition are delivered in order
 * @param position the event's position in its partition (Kafka offset, Event Hubs sequence number);
 *     increasing within a partition
 * @param key the partition key as sent, or null
 * @param body the message body as sent; never null (empty when the transport carried none)
 * @param properties the application properties (Kafka headers, AMQP application properties) in the
 *     order received; a name may repeat
 * @param systemProperties what the transport says about the event, under the names device mappings
 *     use ({@code x-opt-enqueued-time}, {@code iothub-connection-device-id}, ...)
 * @param ingestionTime when the source accepted the event (enqueued time)
 */
public record SourceEvent(
    String source,
    int partition,
    long position,
    byte[] key,
    byte[] body,
    List<Property> properties,
    Map<String, String> systemProperties,
    Instant ingestionTime) {

  /** An application property; the value is the bytes as sent (UTF-8 text for most transports). */
  public record Property(String name, byte[] value) {
    public Property {
      Objects.requireNonNull(name, "name");
    }

    /** The value as UTF-8 text, or null. */
    public String text() {
      return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }
  }

  public SourceEvent {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(ingestionTime, "ingestionTime");
    body = body == null ? new byte[0] : body;
    properties = List.copyOf(properties);
    systemProperties = Collections.unmodifiableMap(new LinkedHashMap<>(systemProperties));
  }

  /** The application properties by name as text (the last value of a repeated name wins). */
  public Map<String, String> propertiesAsText() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Property p : properties) {
      out.put(p.name(), p.text());
    }
    return out;
  }

  /** "source/partition@position", for logs and error messages. */
  public String where() {
    return source + "/" + partition + "@" + position;
  }
}
