package io.iomt.pipeline;

import java.time.Duration;

/**
 * When a partition's buffer of measurements is written to FHIR: as soon as it holds {@code
 * maxEvents} measurements, or its oldest measurement has waited {@code maxAge}. MedTech's fixed
 * setting is 1000 events / 5 minutes; seconds-scale latency is a matter of configuration.
 */
public record FlushPolicy(int maxEvents, Duration maxAge) {
  public static final FlushPolicy MEDTECH = new FlushPolicy(1000, Duration.ofMinutes(5));

  public FlushPolicy {
    if (maxEvents <= 0) {
      throw new IllegalArgumentException("maxEvents must be positive, got " + maxEvents);
    }
    if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxAge must be positive, got " + maxAge);
    }
  }
}
