package io.iomt.service;

import io.iomt.azure.eventhubs.PartitionMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-partition metrics of one connector's Event Hubs source, tagged {@code connector} and
 * {@code partition}:
 *
 * <ul>
 *   <li>{@code iomt_eventhubs_events_received_total}: events handed to the normalize stage;
 *   <li>{@code iomt_eventhubs_last_enqueued_sequence_number}: the hub's newest event, from the
 *       receiver's runtime metrics;
 *   <li>{@code iomt_eventhubs_checkpoint_sequence_number}: where the checkpoint stands;
 *   <li>{@code iomt_eventhubs_lag_events}: newest minus checkpoint, the events not yet durably
 *       processed (what KEDA's {@code azure-eventhub} scaler computes from the same blobs);
 *   <li>{@code iomt_eventhubs_checkpoint_age_seconds}: time since this replica last wrote the
 *       partition's checkpoint (grows while a partition is stuck, or idle);
 *   <li>{@code iomt_eventhubs_partition_owned}: 1 while this replica owns the partition;
 *   <li>{@code iomt_eventhubs_transient_errors_total} (per connector): failures the client retried.
 * </ul>
 *
 * Thread-safe.
 */
final class EventHubsMetrics implements PartitionMetrics {
  private static final class Partition {
    volatile long lastEnqueued = -1;
    volatile long checkpoint = -1;
    volatile Instant checkpointedAt;
    volatile boolean owned;
    Counter received;
  }

  private final MeterRegistry registry;
  private final Clock clock;
  private final String connector;
  private final Map<Integer, Partition> partitions = new ConcurrentHashMap<>();
  private final Counter transientErrors;

  EventHubsMetrics(MeterRegistry registry, Clock clock, String connector) {
    this.registry = registry;
    this.clock = clock;
    this.connector = connector;
    this.transientErrors =
        Counter.builder("iomt.eventhubs.transient.errors")
            .description("Event Hubs or checkpoint-store failures the client retried by itself")
            .tag("connector", connector)
            .register(registry);
  }

  private Partition partition(int id) {
    return partitions.computeIfAbsent(id, this::register);
  }

  private Partition register(int id) {
    Partition p = new Partition();
    String partition = Integer.toString(id);
    p.received =
        Counter.builder("iomt.eventhubs.events.received")
            .description("Events of the partition handed to the normalize stage")
            .tag("connector", connector)
            .tag("partition", partition)
            .register(registry);
    gauge(
        "iomt.eventhubs.last.enqueued.sequence.number",
        "The hub's newest event",
        p,
        partition,
        x -> x.lastEnqueued);
    gauge(
        "iomt.eventhubs.checkpoint.sequence.number",
        "Where the checkpoint stands",
        p,
        partition,
        x -> x.checkpoint);
    gauge(
        "iomt.eventhubs.lag.events",
        "Events enqueued after the checkpoint: not yet durably processed",
        p,
        partition,
        x -> x.lastEnqueued < 0 ? 0 : Math.max(0, x.lastEnqueued - x.checkpoint));
    gauge(
        "iomt.eventhubs.checkpoint.age.seconds",
        "Seconds since this replica last wrote the partition's checkpoint",
        p,
        partition,
        x ->
            x.checkpointedAt == null
                ? Double.NaN
                : Duration.between(x.checkpointedAt, clock.instant()).toMillis() / 1000.0);
    gauge(
        "iomt.eventhubs.partition.owned",
        "1 while this replica owns the partition",
        p,
        partition,
        x -> x.owned ? 1 : 0);
    return p;
  }

  private interface Reading {
    double of(Partition p);
  }

  private void gauge(
      String name, String description, Partition p, String partition, Reading reading) {
    Gauge.builder(name, p, reading::of)
        .description(description)
        .strongReference(true)
        .tag("connector", connector)
        .tag("partition", partition)
        .register(registry);
  }

  @Override
  public void received(int partition, int events) {
    partition(partition).received.increment(events);
  }

  @Override
  public void lastEnqueued(int partition, long sequenceNumber, Instant enqueuedTime) {
    partition(partition).lastEnqueued = sequenceNumber;
  }

  @Override
  public void checkpointed(int partition, long sequenceNumber, Instant at) {
    Partition p = partition(partition);
    p.checkpoint = sequenceNumber;
    p.checkpointedAt = at;
  }

  @Override
  public void owned(int partition, boolean owned) {
    partition(partition).owned = owned;
  }

  @Override
  public void transientError() {
    transientErrors.increment();
  }
}
