package io.iomt.pipeline.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EventSource} in memory, for fast tests of what reads from a source: events offered from
 * any thread are polled in order; {@link #committed()} tells how far each partition got, and {@link
 * #rewind()} redelivers everything after the last commit, as a restart would. Thread-safe.
 */
public final class InMemoryEventSource implements EventSource {
  private static final SourceEvent WAKEUP =
      new SourceEvent("", -1, -1, null, null, List.of(), Map.of(), java.time.Instant.EPOCH);

  private final LinkedBlockingDeque<SourceEvent> queue = new LinkedBlockingDeque<>();
  private final List<SourceEvent> delivered = new ArrayList<>();
  private final Map<Integer, Long> committed = new HashMap<>();
  private final int maxBatch;
  private volatile boolean started;

  public InMemoryEventSource(int maxBatch) {
    this.maxBatch = maxBatch;
  }

  /** Adds events to deliver. */
  public void offer(SourceEvent... events) {
    queue.addAll(List.of(events));
  }

  @Override
  public void start() {
    started = true;
  }

  public boolean started() {
    return started;
  }

  @Override
  public List<SourceEvent> poll(Duration timeout) {
    List<SourceEvent> out = new ArrayList<>();
    try {
      SourceEvent first = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (first == null || first == WAKEUP) {
        return out;
      }
      out.add(first);
      while (out.size() < maxBatch) {
        SourceEvent next = queue.poll();
        if (next == null) {
          break;
        }
        if (next == WAKEUP) {
          break;
        }
        out.add(next);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      delivered.addAll(out);
    }
    return out;
  }

  @Override
  public synchronized void commit(List<SourceEvent> processed) {
    for (SourceEvent e : processed) {
      committed.merge(e.partition(), e.position() + 1, Math::max);
    }
  }

  /** Per partition: the position of the first event not committed yet. */
  public synchronized Map<Integer, Long> committed() {
    return Map.copyOf(committed);
  }

  /** Puts every delivered but uncommitted event back in front, in order. */
  public synchronized void rewind() {
    List<SourceEvent> again = new ArrayList<>();
    for (SourceEvent e : delivered) {
      if (e.position() >= committed.getOrDefault(e.partition(), 0L)) {
        again.add(e);
      }
    }
    delivered.clear();
    for (int i = again.size() - 1; i >= 0; i--) {
      queue.addFirst(again.get(i));
    }
  }

  @Override
  public void wakeup() {
    queue.addFirst(WAKEUP);
  }

  @Override
  public void close() {
    started = false;
  }
}
