package io.iomt.pipeline;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.WakeupException;

/** What both stages share: the poll loop with wakeup-based shutdown, and waiting for acks. */
final class PollLoop {
  private PollLoop() {}

  /** Runs {@code once} until {@code running} turns false; closes the consumer at the end. */
  static void run(Consumer<?, ?> consumer, BooleanSupplier running, Runnable once) {
    try {
      while (running.getAsBoolean()) {
        once.run();
      }
    } catch (WakeupException e) {
      if (running.getAsBoolean()) {
        throw e;
      }
    } finally {
      consumer.close();
    }
  }

  /** Waits for every send; a failed one means offsets must not be committed. */
  static void awaitAcks(List<Future<RecordMetadata>> sends) {
    for (Future<RecordMetadata> send : sends) {
      try {
        send.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException(
            "Producing a record failed; offsets not committed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted before offsets were committed", e);
      }
    }
  }
}
