package io.iomt.pipeline;

import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.WakeupException;

/** The group stage's poll loop with wakeup-based shutdown. */
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
}
