package io.iomt.pipeline;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * Waiting for the broker's acknowledgements, and telling a failure of one record (it can never be
 * written, whatever the retries: too large, invalid) from a failure of the broker or the client (a
 * reason to stop, keep everything uncommitted and start again).
 */
final class ProducerAcks {
  private ProducerAcks() {}

  /** How one send ended. */
  sealed interface Ack {}

  record Written() implements Ack {}

  /** The broker or producer refused this record for good; the others may be fine. */
  record RecordRefused(RuntimeException reason) implements Ack {}

  /**
   * Waits for one send.
   *
   * @throws IllegalStateException when the failure is not the record's own (broker unavailable,
   *     credentials refused, producer fenced): offsets must not be committed
   */
  static Ack await(Future<RecordMetadata> send) {
    try {
      send.get();
      return new Written();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RecordTooLargeException
          || cause instanceof RecordBatchTooLargeException
          || cause instanceof InvalidRecordException) {
        return new RecordRefused((RuntimeException) cause);
      }
      throw new IllegalStateException("Producing a record failed; offsets not committed", cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted before offsets were committed", e);
    }
  }

  /**
   * Waits for sends that must all succeed (dead letters, already cut to fit).
   *
   * @throws IllegalStateException when any failed: offsets must not be committed
   */
  static void awaitAll(Iterable<Future<RecordMetadata>> sends) {
    for (Future<RecordMetadata> send : sends) {
      if (await(send) instanceof RecordRefused r) {
        throw new IllegalStateException(
            "The broker refused a dead letter; offsets not committed", r.reason());
      }
    }
  }
}
