package io.iomt.pipeline;

import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.WakeupException;

/** The group stage's poll loop with wakeup-based shutdown. */
final class PollLoop {
  private PollLoop() {}

  /**
   * Runs {@code once} until {@code running} turns false, then {@code drain} (only after such a
   * stop, not after a failure); closes the consumer at the end either way.
   */
  static void run(Consumer<?, ?> consumer, BooleanSupplier running, Runnable once, Runnable drain) {
    try {
      try {
        while (running.getAsBoolean()) {
          once.run();
        }
      } catch (WakeupException e) {
        if (running.getAsBoolean()) {
          throw e;
        }
      }
      drain.run();
    } finally {
      consumer.close();
    }
  }
}
