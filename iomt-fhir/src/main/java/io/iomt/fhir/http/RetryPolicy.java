package io.iomt.fhir.http;

import io.iomt.core.retry.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often and how long a FHIR request that failed with 429, 5xx, a timeout or a connection error
 * is retried: exponential {@link Backoff} with full jitter (a delay uniform between zero and the
 * exponential step), a server's {@code Retry-After} honoured as a lower bound.
 *
 * @param maxAttempts attempts per request, including the first
 * @param initialBackoff upper bound of the first delay
 * @param maxBackoff cap of any delay, Retry-After included
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(6, Duration.ofMillis(200), Duration.ofSeconds(30));

  /** The delays of this policy with the given jitter source and clock. */
  public Backoff backoff(RandomGenerator random, Clock clock) {
    return new Backoff(initialBackoff, maxBackoff, random, clock);
  }

  /**
   * The delay before attempt {@code attempt + 1} (attempt counts from 1), jitter from {@link
   * java.util.concurrent.ThreadLocalRandom}.
   */
  public Duration delay(int attempt, Duration retryAfter) {
    return Backoff.of(initialBackoff, maxBackoff).delay(attempt, retryAfter);
  }

  static boolean isRetriable(int status) {
    return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
  }
}
