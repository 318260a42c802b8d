package io.iomt.pipeline.source;

import java.time.Duration;
import java.util.List;

/**
 * Where a normalize stage reads device events from, and where it records progress.
 *
 * <p>Lifecycle: {@link #start()} once, then {@link #poll} and {@link #commit} from the same thread
 * (the stage's), then {@link #close()} from that thread. {@link #wakeup()} is the only method
 * another thread may call: it makes a blocked {@code poll} return early (with what it has, possibly
 * nothing) so that the stage can stop.
 *
 * <p>Delivery: at least once. Events not covered by a successful {@link #commit} are delivered
 * again after a restart or when another replica takes the partition over; the stages' writes are
 * idempotent, so a replay adds nothing twice. A source may give up a partition between polls (a
 * rebalance, an expired lease): a later commit of its events then fails or is ignored, and the new
 * owner replays them.
 */
public interface EventSource extends AutoCloseable {
  /** Starts reading (joins the consumer group, starts the processor). */
  void start();

  /**
   * Waits at most {@code timeout} for events. Never null; empty when none arrived in time or when
   * {@link #wakeup()} was called.
   *
   * @throws RuntimeException when the source failed (refused credentials, lost connection beyond
   *     its own retries); the stage is then restarted by its supervisor
   */
  List<SourceEvent> poll(Duration timeout);

  /**
   * Records that every event of {@code processed} and everything before it in the same partition is
   * done: its measurements and dead letters were acknowledged by the broker. Returns once the
   * progress is durable.
   *
   * @throws RuntimeException when progress could not be recorded; the events are then delivered
   *     again (to this or another replica)
   */
  void commit(List<SourceEvent> processed);

  /** Makes a blocked {@link #poll} return; safe from any thread; never throws. */
  void wakeup();

  /** Stops reading and releases the partitions; uncommitted events are delivered again later. */
  @Override
  void close();
}
