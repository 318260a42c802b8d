package io.iomt.testkit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;

/**
 * The faults scheduled on a {@link FaultInjectingProxy}: a FIFO of counted faults and a drop
 * window.
 */
final class FaultSchedule {

  private static final class Pending {
    final Fault fault;
    int remaining;

    Pending(Fault fault, int remaining) {
      this.fault = fault;
      this.remaining = remaining;
    }
  }

  private final Deque<Pending> queue = new ArrayDeque<>();
  private long dropUntilNanos;
  private boolean dropping;

  synchronized void add(int count, Fault fault) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative: " + count);
    }
    if (count > 0) {
      queue.addLast(new Pending(Objects.requireNonNull(fault), count));
    }
  }

  synchronized void dropFor(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative: " + duration);
    }
    dropping = true;
    dropUntilNanos = System.nanoTime() + duration.toNanos();
  }

  synchronized void clear() {
    queue.clear();
    dropping = false;
  }

  /** The fault for the request at hand; empty to forward it plainly. */
  synchronized Optional<Fault> next() {
    if (dropping && System.nanoTime() - dropUntilNanos < 0) {
      return Optional.of(new Fault.DropRequest());
    }
    dropping = false;
    Pending head = queue.peekFirst();
    if (head == null) {
      return Optional.empty();
    }
    if (--head.remaining == 0) {
      queue.removeFirst();
    }
    return Optional.of(head.fault);
  }
}
