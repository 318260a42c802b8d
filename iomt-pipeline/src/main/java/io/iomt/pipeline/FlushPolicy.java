package io.iomt.pipeline;

import java.time.Duration;

/**
 * When a partition's buffer of measurements is written to FHIR: as soon as it holds {@code
 * maxEvents} measurements, its oldest measurement has waited {@code maxAge}, or it holds {@code
 * maxBufferedBytes} of record values. MedTech's fixed setting is 1000 events / 5 minutes;
 * seconds-scale latency is a matter of configuration.
 *
 * <p>{@code maxBufferedBytes} is also the group stage's memory bound: once the buffered and
 * in-flight record values of all its partitions reach it, the stage stops consuming (it keeps
 * polling, so it stays in its group) until its flushes bring them below three quarters of it.
 */
public record FlushPolicy(int maxEvents, Duration maxAge, long maxBufferedBytes) {
  public static final FlushPolicy MEDTECH = new FlushPolicy(1000, Duration.ofMinutes(5));

  /** The default memory bound: 64 MB of normalized record values per stage. */
  public static final long DEFAULT_MAX_BUFFERED_BYTES = 64L * 1024 * 1024;

  public FlushPolicy {
    if (maxEvents <= 0) {
      throw new IllegalArgumentException("maxEvents must be positive, got " + maxEvents);
    }
    if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxAge must be positive, got " + maxAge);
    }
    if (maxBufferedBytes <= 0) {
      throw new IllegalArgumentException(
          "maxBufferedBytes must be positive, got " + maxBufferedBytes);
    }
  }

  /** A policy with the default memory bound ({@value #DEFAULT_MAX_BUFFERED_BYTES} bytes). */
  public FlushPolicy(int maxEvents, Duration maxAge) {
    this(maxEvents, maxAge, DEFAULT_MAX_BUFFERED_BYTES);
  }
}
