package io.iomt.fhir;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Instant;

/**
 * A Caffeine {@link Ticker} that reads an injected {@link Clock}, so cache expiry follows the same
 * time as the rest of the data path (and a test's clock) instead of {@link System#nanoTime()}.
 * Nanosecond resolution as far as the clock has it; stateless and thread-safe when the clock is.
 */
public final class ClockTicker implements Ticker {
  private final Clock clock;

  private ClockTicker(Clock clock) {
    this.clock = clock;
  }

  /** A ticker reading {@code clock}; never null. */
  public static Ticker of(Clock clock) {
    return new ClockTicker(java.util.Objects.requireNonNull(clock, "clock"));
  }

  /** Nanoseconds since the epoch (fits a long until the year 2262). */
  @Override
  public long read() {
    Instant now = clock.instant();
    return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
  }
}
