package io.iomt.pipeline;

import io.iomt.core.error.IomtException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Dead letters: the original bytes and headers of a message that could not be processed, plus
 * headers naming the stage, error, message and source position, on the connector's error topic.
 */
public final class DeadLetters {
  public static final String STAGE = "iomt.error.stage";
  public static final String ERROR = "iomt.error.name";
  public static final String MESSAGE = "iomt.error.message";
  public static final String SEVERITY = "iomt.error.severity";
  public static final String SOURCE_TOPIC = "iomt.source.topic";
  public static final String SOURCE_PARTITION = "iomt.source.partition";
  public static final String SOURCE_OFFSET = "iomt.source.offset";

  private static final int MAX_MESSAGE_BYTES = 4096;

  private DeadLetters() {}

  /** The dead letter of a consumed record that failed with {@code error}. */
  public static ProducerRecord<byte[], byte[]> of(
      String errorTopic, ConsumerRecord<byte[], byte[]> source, IomtException error) {
    return of(
        errorTopic,
        source.topic(),
        source.partition(),
        source.offset(),
        source.key(),
        source.value(),
        source.headers(),
        error);
  }

  public static ProducerRecord<byte[], byte[]> of(
      String errorTopic,
      String topic,
      int partition,
      long offset,
      byte[] key,
      byte[] value,
      Headers original,
      IomtException error) {
    Headers headers = new RecordHeaders();
    if (original != null) {
      for (Header h : original) {
        headers.add(h);
      }
    }
    put(headers, STAGE, error.stage().displayName());
    put(headers, ERROR, error.errorName());
    put(headers, SEVERITY, error.isBlocking() ? "Blocking" : "NonBlocking");
    String message = String.valueOf(error.getMessage());
    put(
        headers,
        MESSAGE,
        message.length() > MAX_MESSAGE_BYTES ? message.substring(0, MAX_MESSAGE_BYTES) : message);
    put(headers, SOURCE_TOPIC, topic);
    put(headers, SOURCE_PARTITION, Integer.toString(partition));
    put(headers, SOURCE_OFFSET, Long.toString(offset));
    return new ProducerRecord<>(errorTopic, null, key, value, headers);
  }

  private static void put(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  /** A header's text, or null. */
  public static String header(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
