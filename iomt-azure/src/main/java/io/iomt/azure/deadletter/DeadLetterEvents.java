package io.iomt.azure.deadletter;

import com.azure.messaging.eventhubs.EventData;
import io.iomt.pipeline.DeadLetters;
import io.iomt.pipeline.deadletter.DeadLetter;
import io.iomt.pipeline.source.SourceEvent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a dead letter becomes an Event Hubs event, as a pure function: body = the original message
 * bytes; application properties = the error topic record's headers as text (so {@value
 * DeadLetters#ERROR}, {@value DeadLetters#STAGE}, {@value DeadLetters#MESSAGE}, {@value
 * DeadLetters#SEVERITY} and {@code iomt.source.topic/partition/offset}, plus the original message's
 * own headers), and {@value #CONNECTOR}, {@value #TOPIC}, {@value #PARTITION}, {@value #OFFSET}
 * (where the dead letter sits in the error topic: unique, for de-duplication) and {@value #KEY}
 * (the original key, when there is one). The partition key is the original key, cut to {@value
 * #MAX_PARTITION_KEY} characters.
 *
 * <p>An event always fits {@code maxBytes}: when it would not, the original headers are left out if
 * they take more than half the room ({@value DeadLetters#DROPPED} then says {@code headers}), and
 * the body is cut to what fits, with {@value DeadLetters#TRUNCATED} holding the original body
 * length (kept as is when the error topic had already cut it). Stateless.
 */
public final class DeadLetterEvents {
  public static final String CONNECTOR = "iomt.connector";
  public static final String TOPIC = "iomt.deadletter.topic";
  public static final String PARTITION = "iomt.deadletter.partition";
  public static final String OFFSET = "iomt.deadletter.offset";
  public static final String KEY = "iomt.source.key";

  /** The longest partition key used; longer keys are cut (same key, same partition still). */
  public static final int MAX_PARTITION_KEY = 128;

  /** Keys longer than this are not copied to {@value #KEY}. */
  static final int MAX_KEY_PROPERTY = 4096;

  /** Room kept free for AMQP framing, annotations and the partition key. */
  static final int OVERHEAD = 1024;

  /** What one property costs besides its name and value (AMQP type and length codes). */
  private static final int PER_PROPERTY = 16;

  private DeadLetterEvents() {}

  /** An event and the partition key to send it with (null: the hub picks a partition). */
  public record HubEvent(EventData event, String partitionKey) {}

  /**
   * @param maxBytes the largest event the hub takes (the batch's {@code getMaxSizeInBytes()}: 1 MiB
   *     on the standard tier, 256 KiB on basic)
   */
  public static HubEvent of(DeadLetter letter, int maxBytes) {
    Map<String, String> own = new LinkedHashMap<>();
    Map<String, String> original = new LinkedHashMap<>();
    for (SourceEvent.Property h : letter.headers()) {
      if (h.value() == null) {
        continue;
      }
      boolean ours = h.name().startsWith("iomt.");
      (ours ? own : original).put(h.name(), h.text());
    }
    own.put(CONNECTOR, letter.connector());
    own.put(TOPIC, letter.errorTopic());
    own.put(PARTITION, Integer.toString(letter.partition()));
    own.put(OFFSET, Long.toString(letter.offset()));
    String key = letter.key() == null || letter.key().length == 0 ? null : letter.keyText();
    String dropped = own.getOrDefault(DeadLetters.DROPPED, "");
    if (key != null && key.length() > MAX_KEY_PROPERTY) {
      dropped = append(dropped, "key");
    } else if (key != null) {
      own.put(KEY, key);
    }
    String partitionKey = partitionKey(letter);
    int budget = maxBytes - OVERHEAD - size(own) - 64; // 64: room for truncated / dropped
    if (partitionKey != null) {
      budget -= partitionKey.getBytes(StandardCharsets.UTF_8).length;
    }
    int originalSize = size(original);
    if (originalSize > budget / 2) {
      original.clear();
      dropped = append(dropped, "headers");
    } else {
      budget -= originalSize;
    }
    if (!dropped.isEmpty()) {
      own.put(DeadLetters.DROPPED, dropped);
    }
    byte[] body = letter.body();
    if (body.length > budget) {
      own.putIfAbsent(DeadLetters.TRUNCATED, Integer.toString(body.length));
      body = Arrays.copyOf(body, Math.max(0, budget));
    }
    EventData event = new EventData(body);
    event.getProperties().putAll(original);
    event.getProperties().putAll(own);
    return new HubEvent(event, partitionKey);
  }

  /** The original key as text, cut to {@value #MAX_PARTITION_KEY} characters; null without one. */
  public static String partitionKey(DeadLetter letter) {
    if (letter.key() == null || letter.key().length == 0) {
      return null;
    }
    String key = letter.keyText();
    if (key.length() <= MAX_PARTITION_KEY) {
      return key;
    }
    int end = MAX_PARTITION_KEY;
    if (Character.isHighSurrogate(key.charAt(end - 1))) {
      end--; // never half a character
    }
    return key.substring(0, end);
  }

  private static String append(String list, String item) {
    if (list.isEmpty()) {
      return item;
    }
    return list.contains(item) ? list : list + "," + item;
  }

  private static int size(Map<String, String> properties) {
    int n = 0;
    for (Map.Entry<String, String> e : properties.entrySet()) {
      n +=
          e.getKey().getBytes(StandardCharsets.UTF_8).length
              + e.getValue().getBytes(StandardCharsets.UTF_8).length
              + PER_PROPERTY;
    }
    return n;
  }
}
