package io.iomt.fhir.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal" jitter (a random delay between half and all of the exponential
 * step) for FHIR requests that fail with 429, 5xx, timeouts or connection errors. A server's {@code
 * Retry-After} is honoured as a lower bound.
 *
 * @param maxAttempts attempts per request, including the first
 * @param initialBackoff upper bound of the first delay
 * @param maxBackoff cap of any delay, Retry-After included
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(6, Duration.ofMillis(200), Duration.ofSeconds(30));

  /** The delay before attempt {@code attempt + 1} (attempt counts from 1). */
  public Duration delay(int attempt, Duration retryAfter) {
    long ceiling =
        Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(attempt - 1, 20));
    long jittered = ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
    long floor = retryAfter == null ? 0 : Math.min(retryAfter.toMillis(), maxBackoff.toMillis());
    return Duration.ofMillis(Math.max(jittered, floor));
  }

  static boolean isRetriable(int status) {
    return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
  }
}
