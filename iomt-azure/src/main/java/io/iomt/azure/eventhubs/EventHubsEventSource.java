package io.iomt.azure.eventhubs;

import com.azure.messaging.eventhubs.CheckpointStore;
import com.azure.messaging.eventhubs.EventData;
import com.azure.messaging.eventhubs.models.Checkpoint;
import com.azure.messaging.eventhubs.models.CloseContext;
import com.azure.messaging.eventhubs.models.ErrorContext;
import com.azure.messaging.eventhubs.models.EventBatchContext;
import com.azure.messaging.eventhubs.models.InitializationContext;
import com.azure.messaging.eventhubs.models.LastEnqueuedEventProperties;
import com.azure.messaging.eventhubs.models.PartitionContext;
import io.iomt.core.error.EventHubUnavailableException;
import io.iomt.core.error.EventSourceException;
import io.iomt.pipeline.source.EventSource;
import io.iomt.pipeline.source.SourceEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Event Hub, or an IoT Hub's Event Hub-compatible built-in endpoint, read over AMQP by the Azure
 * SDK's {@code EventProcessorClient}, as an {@link EventSource}. Replicas with the same hub,
 * consumer group and checkpoint container share the partitions through the container's ownership
 * blobs; a partition whose owner stops renewing its claim is taken over by another replica after
 * the ownership expiration, and read from the last checkpoint.
 *
 * <p>The SDK calls this source on one thread per owned partition with a batch of that partition's
 * events; a batch waits in a small bounded queue until the normalize stage polls it, so a slow
 * stage holds the partitions back instead of buffering without limit, and per-partition order is
 * kept. {@link #commit} writes each partition's checkpoint (sequence number and offset) to the
 * checkpoint store, after the stage had every measurement and dead letter of those events
 * acknowledged; a partition this replica no longer owns is not checkpointed (its new owner replays
 * from the last checkpoint, which the idempotent downstream makes harmless).
 *
 * <p>Failures: credentials refused, a missing hub, consumer group or checkpoint container are
 * blocking ({@link EventSourceException}s, thrown by the next {@link #poll}); so are transient
 * failures that last longer than {@link EventHubsSourceSettings#unavailableAfter()}. Nothing is
 * read past the last checkpoint meanwhile: the stage's supervisor closes this source and opens a
 * new one after a backoff. Thread-safety: as {@link EventSource}; the SDK's callbacks are safe to
 * run concurrently with the stage.
 */
public final class EventHubsEventSource implements EventSource {
  private static final Logger LOG = LoggerFactory.getLogger(EventHubsEventSource.class);

  /** Batches waiting for the stage: enough to keep every partition's next batch ready. */
  private static final int QUEUED_BATCHES = 8;

  private static final Duration WAIT_SLICE = Duration.ofMillis(50);
  private static final Duration CHECKPOINT_TIMEOUT = Duration.ofSeconds(30);

  /** The running processor: started once, stopped once. */
  public interface Processor {
    void start();

    void stop();
  }

  /** Builds the processor that calls back into a source (the SDK's, or a test's). */
  @FunctionalInterface
  public interface ProcessorFactory {
    Processor create(EventHubsEventSource callbacks);
  }

  private record Batch(PartitionContext partition, List<SourceEvent> events) {}

  private final String hub;
  private final String container;
  private final CheckpointStore checkpoints;
  private final PartitionMetrics metrics;
  private final Clock clock;
  private final Duration unavailableAfter;
  private final Processor processor;
  private final BlockingQueue<Batch> batches = new ArrayBlockingQueue<>(QUEUED_BATCHES);
  private final Map<String, PartitionContext> owned = new ConcurrentHashMap<>();
  private final AtomicReference<EventSourceException> blocking = new AtomicReference<>();
  private final AtomicReference<Instant> failingSince = new AtomicReference<>();
  private volatile Throwable lastTransient;
  private volatile boolean woken;
  private volatile boolean closing;

  /**
   * @param hub how messages name the hub ({@code namespace/hub})
   * @param container how messages name the checkpoint container
   * @param checkpoints the store the processor keeps ownership and checkpoints in
   */
  public EventHubsEventSource(
      String hub,
      String container,
      CheckpointStore checkpoints,
      ProcessorFactory processors,
      Duration unavailableAfter,
      PartitionMetrics metrics,
      Clock clock) {
    this.hub = hub;
    this.container = container;
    this.checkpoints = checkpoints;
    this.unavailableAfter = unavailableAfter;
    this.metrics = metrics;
    this.clock = clock;
    this.processor = processors.create(this);
  }

  @Override
  public void start() {
    processor.start();
  }

  @Override
  public List<SourceEvent> poll(Duration timeout) {
    Instant deadline = clock.instant().plus(timeout);
    Batch first = null;
    try {
      while (first == null && !woken) {
        throwIfBlocked();
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
          break;
        }
        first =
            batches.poll(Math.min(left.toMillis(), WAIT_SLICE.toMillis()), TimeUnit.MILLISECONDS);
        if (first != null && !owned.containsKey(first.partition().getPartitionId())) {
          first = null; // Given up since it was queued: its new owner reads it.
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    woken = false;
    if (first == null) {
      return List.of();
    }
    List<SourceEvent> out = new ArrayList<>(first.events());
    for (Batch b; (b = batches.poll()) != null; ) {
      if (owned.containsKey(b.partition().getPartitionId())) {
        out.addAll(b.events());
      }
    }
    return out;
  }

  private void throwIfBlocked() {
    EventSourceException e = blocking.get();
    if (e != null) {
      throw e;
    }
    Instant since = failingSince.get();
    if (since != null && Duration.between(since, clock.instant()).compareTo(unavailableAfter) > 0) {
      Throwable last = lastTransient;
      throw new EventHubUnavailableException(
          "The event hub "
              + hub
              + " kept failing for "
              + unavailableAfter.toSeconds()
              + " s: "
              + (last == null ? "" : last.toString()),
          last);
    }
  }

  @Override
  public void commit(List<SourceEvent> processed) {
    Map<Integer, SourceEvent> last = new LinkedHashMap<>();
    for (SourceEvent e : processed) {
      last.merge(e.partition(), e, (a, b) -> a.position() >= b.position() ? a : b);
    }
    for (SourceEvent e : last.values()) {
      PartitionContext partition = owned.get(Integer.toString(e.partition()));
      if (partition == null) {
        LOG.debug("Not checkpointing {}: the partition is owned elsewhere now", e.where());
        continue;
      }
      Checkpoint checkpoint =
          new Checkpoint()
              .setFullyQualifiedNamespace(partition.getFullyQualifiedNamespace())
              .setEventHubName(partition.getEventHubName())
              .setConsumerGroup(partition.getConsumerGroup())
              .setPartitionId(partition.getPartitionId())
              .setSequenceNumber(e.position())
              .setOffsetString(EventHubsEnvelope.offset(e));
      try {
        checkpoints.updateCheckpoint(checkpoint).block(CHECKPOINT_TIMEOUT);
      } catch (RuntimeException failure) {
        EventSourceException b = EventHubsErrors.blocking(failure, hub, container);
        throw b != null ? b : failure;
      }
      metrics.checkpointed(e.partition(), e.position(), clock.instant());
    }
  }

  @Override
  public void wakeup() {
    woken = true;
  }

  @Override
  public void close() {
    closing = true;
    batches.clear();
    try {
      processor.stop();
    } finally {
      owned.clear();
      batches.clear();
    }
  }

  // The SDK's callbacks.

  /** A partition was claimed: its events come next (from the checkpoint or the start position). */
  public void initialize(InitializationContext context) {
    PartitionContext p = context.getPartitionContext();
    owned.put(p.getPartitionId(), p);
    working();
    metrics.owned(partition(p), true);
    LOG.info("Reading {}/{} partition {}", hub, p.getConsumerGroup(), p.getPartitionId());
  }

  /** A batch of one partition's events; waits while the stage is behind. */
  public void batch(EventBatchContext context) {
    PartitionContext p = context.getPartitionContext();
    int partition = partition(p);
    working();
    LastEnqueuedEventProperties lastEnqueued = context.getLastEnqueuedEventProperties();
    if (lastEnqueued != null && lastEnqueued.getSequenceNumber() != null) {
      metrics.lastEnqueued(
          partition,
          lastEnqueued.getSequenceNumber(),
          lastEnqueued.getEnqueuedTime() == null ? Instant.EPOCH : lastEnqueued.getEnqueuedTime());
    }
    List<EventData> received = context.getEvents();
    if (received.isEmpty()) {
      return;
    }
    List<SourceEvent> events = new ArrayList<>(received.size());
    for (EventData event : received) {
      events.add(EventHubsEnvelope.of(p.getEventHubName(), p.getPartitionId(), event));
    }
    Batch batch = new Batch(p, events);
    try {
      while (!closing && owned.containsKey(p.getPartitionId())) {
        if (batches.offer(batch, WAIT_SLICE.toMillis(), TimeUnit.MILLISECONDS)) {
          metrics.received(partition, events.size());
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A partition was given up (taken by another replica, or this processor stops). */
  public void close(CloseContext context) {
    PartitionContext p = context.getPartitionContext();
    owned.remove(p.getPartitionId());
    batches.removeIf(b -> b.partition().getPartitionId().equals(p.getPartitionId()));
    metrics.owned(partition(p), false);
    LOG.info(
        "Stopped reading {} partition {}: {}", hub, p.getPartitionId(), context.getCloseReason());
  }

  /** A failure the SDK reports: blocking ones stop the stage, others are retried by the SDK. */
  public void error(ErrorContext context) {
    Throwable failure = context.getThrowable();
    EventSourceException b = EventHubsErrors.blocking(failure, hub, container);
    if (b != null) {
      if (blocking.compareAndSet(null, b)) {
        LOG.warn("{}", b.toString());
      }
      return;
    }
    lastTransient = failure;
    failingSince.compareAndSet(null, clock.instant());
    metrics.transientError();
    LOG.debug(
        "Transient failure on {} partition {}: {}",
        hub,
        context.getPartitionContext() == null
            ? "-"
            : context.getPartitionContext().getPartitionId(),
        failure.toString());
  }

  private void working() {
    failingSince.set(null);
  }

  private static int partition(PartitionContext p) {
    return Integer.parseInt(p.getPartitionId());
  }
}
