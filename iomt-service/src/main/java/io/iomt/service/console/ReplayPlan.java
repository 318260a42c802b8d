package io.iomt.service.console;

import io.iomt.core.error.ErrorStage;
import io.iomt.pipeline.Connector;
import io.iomt.pipeline.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * What replaying one dead letter does: send the original message back where it failed, or skip it
 * with a reason. Pure: the caller sends.
 */
public sealed interface ReplayPlan {
  /** The dead letter's id in the error topic. */
  RecordPosition id();

  /**
   * Send {@code record}: the original key, headers and body, with the replay headers {@value
   * DeadLetters#REPLAY_OF} and {@value DeadLetters#REPLAY_ID} (in place of any of an earlier
   * replay).
   *
   * @param target which topic of the connector it goes to
   */
  record Send(RecordPosition id, Target target, ProducerRecord<byte[], byte[]> record)
      implements ReplayPlan {}

  /** Not replayed, and why. */
  record Skip(RecordPosition id, String reason) implements ReplayPlan {}

  /** Where a replayed message goes. */
  enum Target {
    /** The source topic: the message failed in the normalize stage. */
    SOURCE,
    /** The normalized topic: the measurement failed in the group stage. */
    NORMALIZED
  }

  /** The body was cut to fit the error topic: replaying it would send something else. */
  String TRUNCATED = "truncated";

  /** The key or the headers were left out of the dead letter: the original is not complete. */
  String INCOMPLETE = "incomplete: the dead letter lacks the original ";

  /** A normalization failure of a connector that reads an Event Hub, not a topic. */
  String EVENT_HUB_SOURCE = "source is an Event Hub: send the message to the hub again";

  /** The dead letter's stage is none this console replays into. */
  String UNKNOWN_STAGE = "unknown stage: ";

  /**
   * The plan for one dead letter of {@code topics.errors()}.
   *
   * @param readsSourceTopic whether the connector's normalize stage reads its source topic (false
   *     for an Event Hubs source)
   * @param partitionsOf the number of partitions of a topic
   * @param token the replay's token ({@value DeadLetters#REPLAY_ID})
   */
  static ReplayPlan of(
      ConsumerRecord<byte[], byte[]> deadLetter,
      String token,
      Connector.Topics topics,
      boolean readsSourceTopic,
      ToIntFunction<String> partitionsOf) {
    RecordPosition id = new RecordPosition(deadLetter.partition(), deadLetter.offset());
    if (deadLetter.headers().lastHeader(DeadLetters.TRUNCATED) != null) {
      return new Skip(id, TRUNCATED);
    }
    String dropped = DeadLetters.header(deadLetter.headers(), DeadLetters.DROPPED);
    if (dropped != null) {
      return new Skip(id, INCOMPLETE + dropped);
    }
    String stage = DeadLetters.header(deadLetter.headers(), DeadLetters.STAGE);
    Target target;
    String topic;
    if (ErrorStage.NORMALIZATION.displayName().equals(stage)) {
      if (!readsSourceTopic) {
        return new Skip(id, EVENT_HUB_SOURCE);
      }
      target = Target.SOURCE;
      topic = topics.source();
    } else if (ErrorStage.GROUPING.displayName().equals(stage)
        || ErrorStage.FHIR_CONVERSION.displayName().equals(stage)) {
      target = Target.NORMALIZED;
      topic = topics.normalized();
    } else {
      return new Skip(id, UNKNOWN_STAGE + stage);
    }
    RecordHeaders headers = new RecordHeaders();
    for (Header h : deadLetter.headers()) {
      if (!DeadLetters.isDeadLetterHeader(h.key()) && !DeadLetters.isReplayHeader(h.key())) {
        headers.add(h.key(), h.value());
      }
    }
    headers.add(DeadLetters.REPLAY_ID, token.getBytes(StandardCharsets.UTF_8));
    headers.add(
        DeadLetters.REPLAY_OF,
        DeadLetters.replayOf(topics.errors(), id.partition(), id.offset())
            .getBytes(StandardCharsets.UTF_8));
    return new Send(
        id,
        target,
        new ProducerRecord<>(
            topic,
            samePartition(deadLetter, topic, partitionsOf),
            deadLetter.key(),
            deadLetter.value(),
            headers));
  }

  /**
   * The partition the message failed in, when it came from {@code topic} and that partition still
   * exists; otherwise null (the key decides, as it did for the original).
   */
  private static Integer samePartition(
      ConsumerRecord<byte[], byte[]> deadLetter, String topic, ToIntFunction<String> partitionsOf) {
    if (!topic.equals(DeadLetters.header(deadLetter.headers(), DeadLetters.SOURCE_TOPIC))) {
      return null;
    }
    try {
      int p =
          Integer.parseInt(
              DeadLetters.header(deadLetter.headers(), DeadLetters.SOURCE_PARTITION).trim());
      return p >= 0 && p < partitionsOf.applyAsInt(topic) ? p : null;
    } catch (RuntimeException e) {
      return null;
    }
  }
}
