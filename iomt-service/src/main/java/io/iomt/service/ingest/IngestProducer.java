package io.iomt.service.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * Appends a request's messages to a topic and waits for the broker's acknowledgement of each,
 * within the ack timeout. Returns only when all were acknowledged; otherwise refuses with the
 * indexes of the messages that were acknowledged all the same ({@link
 * IngestRefusal#acceptedMessages}), so the answer says exactly what was written. A record larger
 * than the producer's limit is refused before anything is sent. Thread-safe (the Kafka producer
 * is); closing closes the producer.
 */
final class IngestProducer implements AutoCloseable {
  private final Producer<byte[], byte[]> producer;
  private final long maxRecordBytes;
  private final Duration ackTimeout;

  /**
   * @param maxRecordBytes the producer's {@code max.request.size}
   */
  IngestProducer(Producer<byte[], byte[]> producer, long maxRecordBytes, Duration ackTimeout) {
    this.producer = producer;
    this.maxRecordBytes = maxRecordBytes;
    this.ackTimeout = ackTimeout;
  }

  /**
   * @throws IngestRefusal 413 when a record is too large for the producer or the broker, 503 when
   *     the broker is unreachable, refuses the credentials or does not acknowledge in time
   */
  void send(String topic, List<DeviceMessage> messages) {
    for (DeviceMessage m : messages) {
      if (RecordSize.of(m) > maxRecordBytes) {
        throw tooLarge(
            messages,
            m,
            "larger than the producer's max.request.size " + maxRecordBytes,
            List.of());
      }
    }
    long deadline = System.nanoTime() + ackTimeout.toNanos();
    List<Future<RecordMetadata>> acks = new ArrayList<>(messages.size());
    Throwable failure = null;
    DeviceMessage failed = null;
    for (DeviceMessage m : messages) {
      try {
        acks.add(producer.send(new ProducerRecord<>(topic, m.key(), m.value())));
      } catch (KafkaException e) {
        failure = e;
        failed = m;
        break; // the rest is not sent
      }
    }
    List<Integer> accepted = new ArrayList<>(acks.size());
    boolean timedOut = false;
    for (int i = 0; i < acks.size(); i++) {
      try {
        acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        accepted.add(messages.get(i).index());
      } catch (TimeoutException e) {
        timedOut = true;
      } catch (ExecutionException e) {
        if (failure == null || failed.index() > messages.get(i).index()) {
          failure = e.getCause();
          failed = messages.get(i);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw unavailable("interrupted", accepted, messages.size());
      }
    }
    if (failure instanceof RecordTooLargeException) {
      throw tooLarge(messages, failed, failure.getMessage(), accepted);
    }
    if (failure instanceof AuthenticationException || failure instanceof AuthorizationException) {
      throw new IngestRefusal(
          RefusalCode.EVENT_SOURCE_UNAUTHORIZED,
          "The broker refused the service's credentials ("
              + failure.getMessage()
              + "); check iomt.kafka settings. "
              + acknowledged(accepted, messages.size()),
          accepted);
    }
    if (failure != null) {
      throw unavailable(failure.getMessage(), accepted, messages.size());
    }
    if (timedOut) {
      throw unavailable(
          "no acknowledgement within " + Durations.format(ackTimeout), accepted, messages.size());
    }
  }

  private IngestRefusal tooLarge(
      List<DeviceMessage> messages, DeviceMessage m, String why, List<Integer> accepted) {
    return new IngestRefusal(
        RefusalCode.RECORD_TOO_LARGE,
        (messages.size() == 1 ? "The message" : "Message " + m.index() + " of the array")
            + " ("
            + m.value().length
            + " bytes, key "
            + m.keyLength()
            + " bytes) is too large for the broker ("
            + why
            + "): the topic's max.message.bytes or the broker's message.max.bytes is below what"
            + " iomt.ingest.max-message-size allows; do not retry it unchanged. "
            + acknowledged(accepted, messages.size()),
        accepted);
  }

  private static IngestRefusal unavailable(String why, List<Integer> accepted, int total) {
    return new IngestRefusal(
        RefusalCode.BROKER_UNAVAILABLE,
        "The broker did not accept the messages ("
            + why
            + "); "
            + (accepted.isEmpty()
                ? "nothing was acknowledged, retry later (retries are safe)."
                : acknowledged(accepted, total) + " Retry later (retries are safe)."),
        accepted);
  }

  /** What was written, for the message: {@code Nothing was acknowledged.} or the indexes. */
  static String acknowledged(List<Integer> accepted, int total) {
    if (accepted.isEmpty()) {
      return "Nothing was acknowledged.";
    }
    if (total == 1) {
      return "The message was acknowledged.";
    }
    return accepted.size()
        + " of "
        + total
        + " messages were acknowledged (acceptedMessages: "
        + ranges(accepted)
        + ").";
  }

  private static String ranges(List<Integer> sorted) {
    StringBuilder s = new StringBuilder();
    int i = 0;
    while (i < sorted.size()) {
      int j = i;
      while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
        j++;
      }
      s.append(s.isEmpty() ? "" : ", ").append(sorted.get(i));
      if (j > i) {
        s.append('-').append(sorted.get(j));
      }
      i = j + 1;
    }
    return s.toString();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
