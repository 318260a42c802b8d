package io.iomt.benchmarks.e2e;

import io.iomt.core.error.IomtException;
import io.iomt.pipeline.StageMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * What the load generator learns from a connector through its metric hooks: messages read, flushes
 * and Observations saved (with the time of the first read and of each save), errors, and the
 * message-to-FHIR-acknowledgement latency of every measurement while {@link #recordLatency} is on.
 * Thread-safe.
 */
final class E2eMetrics implements StageMetrics {
  private final AtomicLong incoming = new AtomicLong();
  private final AtomicLong saved = new AtomicLong();
  private final AtomicLong flushes = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final List<String> firstErrors = new ArrayList<>();
  private final Histogram latencyMicros = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
  private volatile long firstIncomingNanos;
  private volatile long lastSavedNanos;
  private volatile boolean recordLatency;

  @Override
  public void incoming() {
    if (incoming.getAndIncrement() == 0) {
      firstIncomingNanos = System.nanoTime();
    }
  }

  @Override
  public void saved(int created, int updated, int unchanged) {
    flushes.incrementAndGet();
    saved.addAndGet(created + updated + unchanged);
    lastSavedNanos = System.nanoTime();
  }

  @Override
  public void error(IomtException error) {
    errors.incrementAndGet();
    synchronized (firstErrors) {
      if (firstErrors.size() < 5) {
        firstErrors.add(error.errorName() + ": " + error.getMessage());
      }
    }
  }

  @Override
  public void groupLatency(Duration sinceIngestion) {
    acknowledged.incrementAndGet();
    if (recordLatency) {
      long micros = Math.max(0, sinceIngestion.toNanos() / 1000);
      synchronized (latencyMicros) {
        latencyMicros.recordValue(Math.min(micros, latencyMicros.getHighestTrackableValue()));
      }
    }
  }

  void recordLatency(boolean on) {
    recordLatency = on;
  }

  long saved() {
    return saved.get();
  }

  long flushes() {
    return flushes.get();
  }

  long firstIncomingNanos() {
    return firstIncomingNanos;
  }

  long lastSavedNanos() {
    return lastSavedNanos;
  }

  /** A copy of the latencies recorded so far, in microseconds. */
  Histogram latencies() {
    synchronized (latencyMicros) {
      return latencyMicros.copy();
    }
  }

  /**
   * Waits until at least {@code target} Observations were saved and as many measurements
   * acknowledged (their latency reported, after the offset commit).
   *
   * @throws IllegalStateException when the connector reported an error, or at the deadline
   */
  void awaitSaved(long target, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (saved.get() < target || acknowledged.get() < target) {
      if (errors.get() > 0) {
        synchronized (firstErrors) {
          throw new IllegalStateException("the connector reported errors: " + firstErrors);
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only "
                + saved.get()
                + " of "
                + target
                + " Observations saved after "
                + timeout.toSeconds()
                + " s ("
                + incoming.get()
                + " messages read, "
                + acknowledged.get()
                + " measurements acknowledged)");
      }
      Thread.sleep(5);
    }
  }
}
