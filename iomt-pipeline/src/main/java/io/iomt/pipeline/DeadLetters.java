package io.iomt.pipeline;

import io.iomt.core.error.IomtException;
import io.iomt.pipeline.source.SourceEvent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Dead letters: the original bytes and headers of a message that could not be processed, plus
 * headers naming the stage, error, message and source position, on the connector's error topic.
 *
 * <p>A dead letter always fits the producer's request limit: when the original message (plus key
 * and headers) would not, its body is cut to what fits and the header {@value #TRUNCATED} holds the
 * original body length; if the key or the original headers alone are too large they are left out
 * too ({@value #DROPPED} says which). So a message at the size limit ends in the error topic, never
 * in a produce-fail-restart-replay loop.
 */
public final class DeadLetters {
  public static final String STAGE = "iomt.error.stage";
  public static final String ERROR = "iomt.error.name";
  public static final String MESSAGE = "iomt.error.message";
  public static final String SEVERITY = "iomt.error.severity";
  public static final String SOURCE_TOPIC = "iomt.source.topic";
  public static final String SOURCE_PARTITION = "iomt.source.partition";
  public static final String SOURCE_OFFSET = "iomt.source.offset";

  /** Present when the body was cut to fit: the original body length in bytes. */
  public static final String TRUNCATED = "iomt.error.truncated";

  /** Present when the key or the original headers had to be left out: "key", "headers". */
  public static final String DROPPED = "iomt.error.dropped";

  /**
   * On a message replayed from the error topic: which dead letter it is, as {@code
   * <errors-topic>/<partition>/<offset>} ({@link #replayOf}). It is an original header, not one of
   * the {@code iomt.error.*}/{@code iomt.source.*} ones: the normalize stage puts it on the
   * measurements it makes of the message, and a dead letter of the message or of those measurements
   * keeps it, so that the failure of a replay names the dead letter replayed.
   */
  public static final String REPLAY_OF = "iomt.replay.of";

  /**
   * On a replayed message, beside {@value #REPLAY_OF}: the replay it belongs to (a random token),
   * so that a failure of one replay is not taken for that of another replay of the same dead
   * letter. Carried like {@value #REPLAY_OF}.
   */
  public static final String REPLAY_ID = "iomt.replay.id";

  private static final int MAX_MESSAGE_BYTES = 4096;

  /**
   * What a record costs besides key, value and header bytes (batch and record framing, varints, the
   * producer's size estimate is an upper bound), kept free below the request limit.
   */
  static final int RECORD_OVERHEAD = 1024;

  private final String errorTopic;
  private final int maxRecordBytes;

  /**
   * @param maxRecordBytes the largest record the producer may send ({@code max.request.size})
   */
  public DeadLetters(String errorTopic, int maxRecordBytes) {
    this.errorTopic = errorTopic;
    this.maxRecordBytes = maxRecordBytes;
  }

  public String topic() {
    return errorTopic;
  }

  /** The dead letter of an event read from a source. */
  public ProducerRecord<byte[], byte[]> of(SourceEvent source, IomtException error) {
    Headers original = new RecordHeaders();
    for (SourceEvent.Property p : source.properties()) {
      original.add(p.name(), p.value());
    }
    return of(
        source.source(),
        source.partition(),
        source.position(),
        source.key(),
        source.body(),
        original,
        error);
  }

  /** The dead letter of a consumed record that failed with {@code error}. */
  public ProducerRecord<byte[], byte[]> of(
      ConsumerRecord<byte[], byte[]> source, IomtException error) {
    return of(
        source.topic(),
        source.partition(),
        source.offset(),
        source.key(),
        source.value(),
        source.headers(),
        error);
  }

  public ProducerRecord<byte[], byte[]> of(
      String topic,
      int partition,
      long offset,
      byte[] key,
      byte[] value,
      Headers original,
      IomtException error) {
    Headers headers = new RecordHeaders();
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
    int budget = maxRecordBytes - RECORD_OVERHEAD - size(headers);
    int originalHeaders = original == null ? 0 : size(original);
    String dropped = "";
    if (originalHeaders > budget / 2) {
      dropped = "headers";
      originalHeaders = 0;
    } else if (original != null) {
      for (Header h : original) {
        if (!isDeadLetterHeader(h.key())) {
          headers.add(h);
        }
      }
    }
    budget -= originalHeaders;
    if (key != null && key.length > budget / 2) {
      dropped = dropped.isEmpty() ? "key" : dropped + ",key";
      key = null;
    }
    budget -= key == null ? 0 : key.length;
    if (!dropped.isEmpty()) {
      put(headers, DROPPED, dropped);
      budget -= 64;
    }
    if (value != null && value.length > budget - 64) {
      put(headers, TRUNCATED, Integer.toString(value.length));
      value = Arrays.copyOf(value, Math.max(0, budget - 64));
    }
    return new ProducerRecord<>(errorTopic, null, key, value, headers);
  }

  private static int size(Headers headers) {
    int n = 0;
    for (Header h : headers) {
      n += h.key().length() + (h.value() == null ? 0 : h.value().length) + 8;
    }
    return n;
  }

  private static void put(Headers headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  /** The value of {@value #REPLAY_OF} for the dead letter at that position of an error topic. */
  public static String replayOf(String errorTopic, int partition, long offset) {
    return errorTopic + "/" + partition + "/" + offset;
  }

  /** Whether a header is one of those a replay adds ({@code iomt.replay.*}). */
  public static boolean isReplayHeader(String name) {
    return name.startsWith("iomt.replay.");
  }

  /** Whether a header is one of those a dead letter adds (never copied back on replay). */
  public static boolean isDeadLetterHeader(String name) {
    return name.startsWith("iomt.error.") || name.startsWith("iomt.source.");
  }

  /** A header's text, or null. */
  public static String header(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
