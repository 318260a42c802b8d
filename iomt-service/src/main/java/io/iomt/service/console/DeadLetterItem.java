package io.iomt.service.console;

import io.iomt.pipeline.DeadLetters;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One dead letter as the console shows it (docs/console.md, "Dead letters"): where it is in the
 * error topic, the error, where the message came from, and the message itself.
 *
 * @param id {@code <partition>-<offset>} in the error topic
 * @param properties the message's own headers (not those the dead letter added, nor the replay
 *     headers {@code iomt.replay.*}: {@code replayOf} shows the one that matters); the last value
 *     of a repeated name
 * @param replayOf the id of the dead letter whose replay this one is, or null; the header's text
 *     when it names another topic
 */
public record DeadLetterItem(
    String id,
    int partition,
    long offset,
    Instant time,
    String stage,
    String error,
    String severity,
    String message,
    Source source,
    String body,
    String bodyEncoding,
    boolean truncated,
    String key,
    Map<String, String> properties,
    String replayOf) {

  /** Where the message was when it failed; fields null when the dead letter does not say. */
  public record Source(String topic, Integer partition, Long offset) {}

  /** The item of a record of {@code errorTopic}. */
  public static DeadLetterItem of(ConsumerRecord<byte[], byte[]> r, String errorTopic) {
    Headers h = r.headers();
    MessageText body = MessageText.of(r.value());
    return new DeadLetterItem(
        new RecordPosition(r.partition(), r.offset()).toString(),
        r.partition(),
        r.offset(),
        Instant.ofEpochMilli(r.timestamp()),
        DeadLetters.header(h, DeadLetters.STAGE),
        DeadLetters.header(h, DeadLetters.ERROR),
        DeadLetters.header(h, DeadLetters.SEVERITY),
        DeadLetters.header(h, DeadLetters.MESSAGE),
        new Source(
            DeadLetters.header(h, DeadLetters.SOURCE_TOPIC),
            integer(DeadLetters.header(h, DeadLetters.SOURCE_PARTITION)),
            longValue(DeadLetters.header(h, DeadLetters.SOURCE_OFFSET))),
        body.body(),
        body.encoding(),
        h.lastHeader(DeadLetters.TRUNCATED) != null,
        MessageText.text(r.key()),
        originalProperties(h),
        replayOf(DeadLetters.header(h, DeadLetters.REPLAY_OF), errorTopic));
  }

  /** The headers the message had: all but the dead letter's own and the replay header. */
  static Map<String, String> originalProperties(Headers headers) {
    Map<String, String> properties = new LinkedHashMap<>();
    for (Header x : headers) {
      if (!DeadLetters.isDeadLetterHeader(x.key()) && !DeadLetters.isReplayHeader(x.key())) {
        properties.put(x.key(), MessageText.text(x.value()));
      }
    }
    return properties;
  }

  /** {@code errors/0/12} of this error topic → {@code 0-12}; another topic's as it is. */
  static String replayOf(String header, String errorTopic) {
    if (header == null) {
      return null;
    }
    String prefix = errorTopic + "/";
    if (header.startsWith(prefix)) {
      String rest = header.substring(prefix.length());
      int slash = rest.indexOf('/');
      if (slash > 0) {
        try {
          return new RecordPosition(
                  Integer.parseInt(rest.substring(0, slash)),
                  Long.parseLong(rest.substring(slash + 1)))
              .toString();
        } catch (IllegalArgumentException e) {
          return header;
        }
      }
    }
    return header;
  }

  private static Integer integer(String s) {
    try {
      return s == null ? null : Integer.valueOf(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Long longValue(String s) {
    try {
      return s == null ? null : Long.valueOf(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
