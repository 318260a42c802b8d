package io.iomt.pipeline.deadletter;

import io.iomt.pipeline.DeadLetters;
import io.iomt.pipeline.source.SourceEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One dead letter as read back from a connector's error topic: the original message (key, body,
 * headers) with the headers {@link DeadLetters} added (error name, stage, message, severity, source
 * position, truncation), and where it sits in the error topic, which is what a consumer of the
 * forwarded copy uses to recognise a duplicate. Immutable apart from the arrays it holds, which no
 * one changes.
 *
 * @param connector the connector's name
 * @param errorTopic the error topic it was read from
 * @param partition its partition in the error topic
 * @param offset its offset in the error topic; unique per topic and partition
 * @param key the original message key, or null
 * @param body the original body (cut when it did not fit the error topic); never null
 * @param headers the error topic record's headers in order; a name may repeat
 */
public record DeadLetter(
    String connector,
    String errorTopic,
    int partition,
    long offset,
    byte[] key,
    byte[] body,
    List<SourceEvent.Property> headers) {

  public DeadLetter {
    Objects.requireNonNull(connector, "connector");
    Objects.requireNonNull(errorTopic, "errorTopic");
    body = body == null ? new byte[0] : body;
    headers = List.copyOf(headers);
  }

  /** The dead letter a source (the error topic read as an event source) delivered. */
  public static DeadLetter of(String connector, SourceEvent event) {
    return new DeadLetter(
        connector,
        event.source(),
        event.partition(),
        event.position(),
        event.key(),
        event.body(),
        event.properties());
  }

  /** A header's text (UTF-8; the last of a repeated name), or null when absent or valueless. */
  public String header(String name) {
    String value = null;
    for (SourceEvent.Property p : headers) {
      if (p.name().equals(name)) {
        value = p.text();
      }
    }
    return value;
  }

  /** The error's name ({@value DeadLetters#ERROR}), e.g. {@code InvalidDataFormatException}. */
  public String errorName() {
    return header(DeadLetters.ERROR);
  }

  /** The key as text, or null when there is none. */
  public String keyText() {
    return key == null ? null : new String(key, StandardCharsets.UTF_8);
  }

  /** "topic/partition@offset" in the error topic, for logs and messages. */
  public String where() {
    return errorTopic + "/" + partition + "@" + offset;
  }
}
