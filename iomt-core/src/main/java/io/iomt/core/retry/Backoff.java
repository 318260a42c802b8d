package io.iomt.core.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter ("Exponential Backoff and Jitter", AWS Architecture Blog):
 * the delay before retry {@code n} is uniform in {@code [0, min(max, initial * 2^(n-1))]}, so
 * replicas that failed together do not retry together. A server's {@code Retry-After} is a lower
 * bound (capped at {@code max}). Immutable and thread-safe when its random source is (the default,
 * {@link ThreadLocalRandom}, is).
 *
 * @param initial ceiling of the first delay; positive
 * @param max ceiling of every delay; at least {@code initial}
 * @param random where the jitter comes from (tests pass a seeded or fixed generator)
 * @param clock what "now" is for {@link #retryAt}
 */
public record Backoff(Duration initial, Duration max, RandomGenerator random, Clock clock) {
  public Backoff {
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(clock, "clock");
    if (initial == null || initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial backoff must be positive, got " + initial);
    }
    if (max == null || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "max backoff must be at least the initial " + initial + ", got " + max);
    }
  }

  /**
   * {@link ThreadLocalRandom} of whichever thread asks. Holding {@code ThreadLocalRandom.current()}
   * of the constructing thread would read another thread's uninitialized seed, so every replica
   * would draw the same "random" delays and retry in lockstep.
   */
  public static final RandomGenerator CALLING_THREAD =
      new RandomGenerator() {
        @Override
        public long nextLong() {
          return ThreadLocalRandom.current().nextLong();
        }

        @Override
        public long nextLong(long bound) {
          return ThreadLocalRandom.current().nextLong(bound);
        }
      };

  /** Jitter from the calling thread's {@link ThreadLocalRandom}, time from the UTC clock. */
  public static Backoff of(Duration initial, Duration max) {
    return new Backoff(initial, max, CALLING_THREAD, Clock.systemUTC());
  }

  /** The same steps with another clock (a stage's or a test's). */
  public Backoff withClock(Clock other) {
    return new Backoff(initial, max, random, other);
  }

  /** The same steps with another random source. */
  public Backoff withRandom(RandomGenerator other) {
    return new Backoff(initial, max, other, clock);
  }

  /** The exponential ceiling for failure {@code attempt} (counted from 1), before jitter. */
  public Duration ceiling(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts count from 1, got " + attempt);
    }
    long initialMs = initial.toMillis();
    int shift = attempt - 1;
    long ceiling =
        shift >= 62 || initialMs > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : initialMs << shift;
    return Duration.ofMillis(Math.min(max.toMillis(), ceiling));
  }

  /** The delay after failure {@code attempt} (counted from 1): uniform in [0, ceiling]. */
  public Duration delay(int attempt) {
    long ceiling = ceiling(attempt).toMillis();
    return Duration.ofMillis(random().nextLong(ceiling + 1));
  }

  /** Like {@link #delay(int)}, but never shorter than what the server asked for (capped). */
  public Duration delay(int attempt, Duration retryAfter) {
    Duration d = delay(attempt);
    if (retryAfter == null || retryAfter.isNegative()) {
      return d;
    }
    Duration floor = retryAfter.compareTo(max) > 0 ? max : retryAfter;
    return d.compareTo(floor) < 0 ? floor : d;
  }

  /** When to retry after failure {@code attempt}, from the clock's now. */
  public Instant retryAt(int attempt) {
    return clock.instant().plus(delay(attempt));
  }

  /** A counter of consecutive failures for one thing retried (a partition, a stage). */
  public Attempts attempts() {
    return new Attempts(this);
  }

  /**
   * Consecutive failures of one thing and when it may be tried again. Not thread-safe: owned by the
   * thread that retries.
   */
  public static final class Attempts {
    private final Backoff backoff;
    private int failures;
    private Instant retryAt;

    private Attempts(Backoff backoff) {
      this.backoff = backoff;
    }

    /** Counts a failure; returns when to try again. */
    public Instant failed() {
      failures++;
      retryAt = backoff.retryAt(failures);
      return retryAt;
    }

    /** Counts a failure and returns how long to wait before trying again. */
    public Duration failedDelay() {
      failures++;
      Duration d = backoff.delay(failures);
      retryAt = backoff.clock().instant().plus(d);
      return d;
    }

    /** Forgets the failures: the next one waits the shortest again. */
    public void succeeded() {
      failures = 0;
      retryAt = null;
    }

    /** Whether a retry is pending and its time has not come yet. */
    public boolean waiting() {
      return retryAt != null && backoff.clock().instant().isBefore(retryAt);
    }

    /** When the next try may happen; null when nothing failed. */
    public Instant retryAt() {
      return retryAt;
    }

    public int failures() {
      return failures;
    }
  }
}
