package io.iomt.pipeline;

import io.iomt.core.error.IomtException;
import java.time.Duration;
import java.time.Instant;

/**
 * Hooks the stages call for MedTech's metrics (incoming and normalized messages, measurements,
 * groups, FHIR resources saved, errors by name/stage/severity, stage latencies) and for event
 * freshness per partition. The service binds them to Micrometer; {@link #NONE} ignores them.
 * Implementations are thread-safe and cheap: they are called per record.
 */
public interface StageMetrics {
  /** One device message was read from the source topic. */
  default void incoming() {}

  /** One device message became {@code measurements} measurements (0 when nothing matched). */
  default void normalized(int measurements) {}

  default void groups(int groups) {}

  default void saved(int created, int updated, int unchanged) {}

  default void error(IomtException error) {}

  /**
   * A message's measurements were acknowledged on the normalized topic this long after it came in.
   */
  default void normalizeLatency(Duration sinceIngestion) {}

  /**
   * A measurement's Observation was accepted by the FHIR server this long after its message came
   * in.
   */
  default void groupLatency(Duration sinceIngestion) {}

  /**
   * The stage is done with a partition's records up to one that came in at {@code ingestion}: now
   * minus that is the partition's event freshness.
   */
  default void processedUpTo(StageName stage, int partition, Instant ingestion) {}

  /**
   * The group stage now holds {@code bytes} of normalized record values (buffered and being
   * written) and has {@code flushesInFlight} flushes being written to FHIR. Called by the stage's
   * thread when either changes.
   */
  default void groupBuffer(long bytes, int flushesInFlight) {}

  /** The destination for dead letters accepted {@code count} more of them. */
  default void deadLettersForwarded(int count) {}

  StageMetrics NONE = new StageMetrics() {};
}
