package io.iomt.pipeline;

import io.iomt.core.observation.ObservationGroup;
import io.iomt.fhir.write.ObservationWriter;
import io.iomt.fhir.write.WriteReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An Observation writer for concurrency tests: each write announces itself, then waits until the
 * test lets one write through, then writes to the delegate. It counts the writes running at once
 * and records every group it was given, in the order the writes began.
 */
final class GatedWriter implements ObservationWriter {
  /** One group written: its device and its values (hr by time), as given. */
  record Group(String device, List<Map.Entry<Instant, String>> values) {}

  private final ObservationWriter delegate;
  private final Semaphore started = new Semaphore(0);
  private final Semaphore gate = new Semaphore(0);
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();
  private final AtomicInteger begun = new AtomicInteger();
  private final List<Group> groups = new ArrayList<>();

  GatedWriter(ObservationWriter delegate) {
    this.delegate = delegate;
  }

  @Override
  public WriteReport write(List<ObservationGroup> groups) {
    int now = running.incrementAndGet();
    mostAtOnce.accumulateAndGet(now, Math::max);
    try {
      synchronized (this.groups) {
        begun.incrementAndGet();
        for (ObservationGroup g : groups) {
          this.groups.add(new Group(g.key().deviceId(), List.copyOf(g.values("hr").entrySet())));
        }
      }
      started.release();
      gate.acquireUninterruptibly();
      return delegate.write(groups);
    } finally {
      running.decrementAndGet();
    }
  }

  /** Waits until {@code count} more writes have begun (and wait at the gate). */
  void awaitStarted(int count) throws InterruptedException {
    if (!started.tryAcquire(count, 30, TimeUnit.SECONDS)) {
      throw new AssertionError("fewer than " + count + " writes began within 30 s");
    }
  }

  /** Lets {@code count} writes through. */
  void release(int count) {
    gate.release(count);
  }

  /** Lets every write through from now on. */
  void open() {
    gate.release(1_000_000);
  }

  int running() {
    return running.get();
  }

  int mostAtOnce() {
    return mostAtOnce.get();
  }

  /** Writes begun so far. */
  int begun() {
    return begun.get();
  }

  /** The groups given so far, in the order the writes began. */
  List<Group> groups() {
    synchronized (groups) {
      return List.copyOf(groups);
    }
  }
}
