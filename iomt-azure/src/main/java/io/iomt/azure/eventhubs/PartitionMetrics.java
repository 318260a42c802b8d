package io.iomt.azure.eventhubs;

import java.time.Instant;

/**
 * Per-partition figures of an Event Hubs source: events read, the hub's last enqueued event (from
 * the receiver's runtime metrics, {@code trackLastEnqueuedEventProperties}), checkpoints written,
 * partitions owned. The service binds them to Micrometer; {@link #NONE} ignores them.
 * Implementations are thread-safe and cheap: the SDK's partition threads call them per batch.
 */
public interface PartitionMetrics {
  /** {@code events} events of {@code partition} were handed to the normalize stage. */
  default void received(int partition, int events) {}

  /** The hub's newest event of {@code partition}, as of the last receive. */
  default void lastEnqueued(int partition, long sequenceNumber, Instant enqueuedTime) {}

  /** The partition's checkpoint now stands at {@code sequenceNumber}, written at {@code at}. */
  default void checkpointed(int partition, long sequenceNumber, Instant at) {}

  /** This replica claimed ({@code true}) or gave up ({@code false}) {@code partition}. */
  default void owned(int partition, boolean owned) {}

  /** A failure the client retries by itself (connection lost, timeout, partition taken over). */
  default void transientError() {}

  PartitionMetrics NONE = new PartitionMetrics() {};
}
