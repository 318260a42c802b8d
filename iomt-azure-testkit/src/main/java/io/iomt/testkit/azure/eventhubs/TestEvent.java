package io.iomt.testkit.azure.eventhubs;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An event as a producer hands it to Event Hubs: the body, the application properties, the message
 * annotations (for IoT Hub's system properties such as {@code iothub-connection-device-id}), the
 * partition key and the standard AMQP properties. The server adds offset, sequence number and
 * enqueued time when it stores the event ({@link StoredEvent}).
 *
 * <p>Immutable (the maps are copied; values should be AMQP-encodable: String, Long, Integer,
 * Boolean, Double, {@link java.util.Date} for timestamps, byte[] as binary...). {@code
 * partitionKey} may be null.
 */
public record TestEvent(
    byte[] body,
    Map<String, Object> applicationProperties,
    Map<String, Object> messageAnnotations,
    String partitionKey,
    EventProperties properties) {

  public TestEvent {
    Objects.requireNonNull(body, "body");
    body = body.clone();
    applicationProperties = Map.copyOf(applicationProperties);
    messageAnnotations = Map.copyOf(messageAnnotations);
    Objects.requireNonNull(properties, "properties");
  }

  /** An event with this body and nothing else. */
  public static TestEvent of(byte[] body) {
    return new TestEvent(body, Map.of(), Map.of(), null, EventProperties.NONE);
  }

  /** An event whose body is this text in UTF-8. */
  public static TestEvent ofText(String body) {
    return of(body.getBytes(StandardCharsets.UTF_8));
  }

  /** A copy with one more application property. */
  public TestEvent withApplicationProperty(String name, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(applicationProperties);
    copy.put(name, value);
    return new TestEvent(body, copy, messageAnnotations, partitionKey, properties);
  }

  /** A copy with one more message annotation (e.g. IoT Hub's {@code iothub-enqueuedtime}). */
  public TestEvent withMessageAnnotation(String name, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(messageAnnotations);
    copy.put(name, value);
    return new TestEvent(body, applicationProperties, copy, partitionKey, properties);
  }

  /** A copy with this partition key (sent as the {@code x-opt-partition-key} annotation). */
  public TestEvent withPartitionKey(String key) {
    return new TestEvent(body, applicationProperties, messageAnnotations, key, properties);
  }

  /** A copy with these standard properties. */
  public TestEvent withProperties(EventProperties newProperties) {
    return new TestEvent(
        body, applicationProperties, messageAnnotations, partitionKey, newProperties);
  }

  /** The body decoded as UTF-8. */
  public String bodyAsText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TestEvent other
        && java.util.Arrays.equals(body, other.body)
        && applicationProperties.equals(other.applicationProperties)
        && messageAnnotations.equals(other.messageAnnotations)
        && Objects.equals(partitionKey, other.partitionKey)
        && properties.equals(other.properties);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        java.util.Arrays.hashCode(body),
        applicationProperties,
        messageAnnotations,
        partitionKey,
        properties);
  }

  @Override
  public String toString() {
    return "TestEvent[body="
        + body.length
        + " bytes, applicationProperties="
        + applicationProperties
        + ", messageAnnotations="
        + messageAnnotations
        + ", partitionKey="
        + partitionKey
        + ", properties="
        + properties
        + "]";
  }
}
