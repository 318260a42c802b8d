package io.iomt.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The items (measurements) of one partition of the normalized topic not yet in FHIR, with the
 * offset to commit once they are and the bytes they hold. Time is passed in, so flush deadlines are
 * tested without sleeping. Not thread-safe: owned by the consumer thread of its partition.
 */
public final class PartitionBuffer<T> {
  private final FlushPolicy policy;
  private List<T> measurements = new ArrayList<>();
  private Instant oldest;
  private long nextOffset = -1;
  private long bytes;

  public PartitionBuffer(FlushPolicy policy) {
    this.policy = policy;
  }

  /**
   * A drained buffer: the measurements, the offset to commit after they are written, and the bytes
   * they were counted with.
   */
  public record Batch<T>(List<T> measurements, long commitOffset, long bytes) {
    public Batch {
      measurements = List.copyOf(measurements);
    }
  }

  /** Adds a measurement read at {@code offset}, received at {@code now}, counted as no bytes. */
  public void add(T m, long offset, Instant now) {
    add(m, offset, 0, now);
  }

  /** Adds an item read at {@code offset} that holds {@code size} bytes, received at {@code now}. */
  public void add(T m, long offset, long size, Instant now) {
    if (measurements.isEmpty()) {
      oldest = now;
    }
    measurements.add(m);
    bytes += size;
    nextOffset = Math.max(nextOffset, offset + 1);
  }

  /** Notes a consumed record that produced no measurement, so its offset is committed too. */
  public void skip(long offset, Instant now) {
    if (measurements.isEmpty() && oldest == null) {
      oldest = now;
    }
    nextOffset = Math.max(nextOffset, offset + 1);
  }

  /**
   * Whether the policy says write now: enough measurements, enough bytes, or the oldest waited long
   * enough.
   */
  public boolean isDue(Instant now) {
    if (oldest == null) {
      return false;
    }
    return measurements.size() >= policy.maxEvents()
        || bytes >= policy.maxBufferedBytes()
        || !now.isBefore(oldest.plus(policy.maxAge()));
  }

  public boolean isEmpty() {
    return oldest == null;
  }

  public int size() {
    return measurements.size();
  }

  /** The bytes of the items buffered, as given to {@link #add(Object, long, long, Instant)}. */
  public long bytes() {
    return bytes;
  }

  /** Takes everything out; the caller commits {@link Batch#commitOffset()} after the write. */
  public Batch<T> drain() {
    Batch<T> batch = new Batch<>(measurements, nextOffset, bytes);
    measurements = new ArrayList<>();
    oldest = null;
    bytes = 0;
    return batch;
  }

  /** Puts a batch back in front after a failed write, keeping its age. */
  public void restore(Batch<T> batch, Instant firstSeen) {
    List<T> newer = measurements;
    measurements = new ArrayList<>(batch.measurements().size() + newer.size());
    measurements.addAll(batch.measurements());
    measurements.addAll(newer);
    oldest = firstSeen;
    bytes += batch.bytes();
    nextOffset = Math.max(nextOffset, batch.commitOffset());
  }

  /** When the oldest buffered record arrived; null when empty. */
  public Instant oldest() {
    return oldest;
  }
}
