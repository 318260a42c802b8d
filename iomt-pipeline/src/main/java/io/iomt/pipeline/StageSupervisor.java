package io.iomt.pipeline;

import io.iomt.core.error.IomtException;
import io.iomt.core.retry.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs a stage on a thread of its own and starts a new one (with new clients, from {@code factory})
 * whenever it ends with any {@link Throwable}: a broker that refused a write, a commit that failed
 * because the group rebalanced, an {@link Error} thrown by a defect. Meanwhile {@link #status()}
 * says {@link StageStatus.Failed} with the error and the time of the restart, which {@link Backoff}
 * spaces out (full jitter; the count starts again once a stage ran longer than the longest
 * backoff). What the dead stage had not committed is replayed by the new one, which the idempotent
 * writes make harmless. A stage that ends with a blocking {@link IomtException} (an event source
 * refusing the credentials, a missing event hub) is reported {@link StageStatus.Blocked} with that
 * error's name instead: the cause is known, outside the connector, and retried the same way.
 * Thread-safe.
 */
public final class StageSupervisor {
  private final Thread thread;
  private final Function<StatusHolder, Stage> factory;
  private final Backoff backoff;
  private final Clock clock;
  private final StatusHolder status;
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile boolean closed;
  private volatile Stage current;

  /**
   * @param name the thread's name, e.g. {@code iomt-icu-group}
   * @param factory makes a stage that reports to the given status holder; called again after each
   *     failure
   */
  public StageSupervisor(
      String name, Function<StatusHolder, Stage> factory, Backoff backoff, Clock clock) {
    this.factory = factory;
    this.backoff = backoff.withClock(clock);
    this.clock = clock;
    this.status = new StatusHolder(name);
    this.thread = new Thread(this::loop, name);
  }

  public void start() {
    thread.start();
  }

  public StageStatus status() {
    return status.get();
  }

  private void loop() {
    Backoff.Attempts attempts = backoff.attempts();
    try {
      while (!closed) {
        Instant started = clock.instant();
        try {
          Stage stage = factory.apply(status);
          current = stage;
          if (closed) {
            stage.close();
            return;
          }
          stage.run();
        } catch (Throwable e) {
          if (closed) {
            return;
          }
          if (Duration.between(started, clock.instant()).compareTo(backoff.max()) > 0) {
            attempts.succeeded(); // It ran well for a while: this failure is a first one.
          }
          Duration delay = attempts.failedDelay();
          Instant retryAt = clock.instant().plus(delay);
          status.set(
              e instanceof IomtException blocking && blocking.isBlocking()
                  ? new StageStatus.Blocked(
                      blocking.errorName(), String.valueOf(e.getMessage()), retryAt)
                  : new StageStatus.Failed(
                      e.getClass().getSimpleName(), String.valueOf(e.getMessage()), retryAt),
              e);
          if (closing.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
            return;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      status.set(new StageStatus.Stopped("closed"));
    }
  }

  /** Asks the stage to stop; {@link #join()} waits for it. */
  public void close() {
    closed = true;
    closing.countDown();
    Stage c = current;
    if (c != null) {
      c.close();
    }
  }

  /** Waits up to a minute for the stage's thread to end. */
  public void join() {
    try {
      thread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
