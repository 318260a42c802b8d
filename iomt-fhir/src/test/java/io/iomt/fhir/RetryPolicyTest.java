package io.iomt.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.core.retry.Backoff;
import io.iomt.fhir.http.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy =
      new RetryPolicy(6, Duration.ofMillis(200), Duration.ofSeconds(30));

  /** Always the top of the range asked for: the jitter's upper bound, made visible. */
  private static final RandomGenerator HIGHEST =
      new RandomGenerator() {
        @Override
        public long nextLong() {
          throw new UnsupportedOperationException("only bounded draws are expected");
        }

        @Override
        public long nextLong(long bound) {
          return bound - 1;
        }
      };

  /** Always zero: the jitter's lower bound. */
  private static final RandomGenerator LOWEST =
      new RandomGenerator() {
        @Override
        public long nextLong() {
          return 0;
        }

        @Override
        public long nextLong(long bound) {
          return 0;
        }
      };

  // Full jitter (the one Backoff): was "equal jitter", [ceiling/2, ceiling], before issue 8.
  @RepeatedTest(20)
  void delaysGrowExponentiallyWithFullJitterWithinTheirBounds() {
    assertThat(policy.delay(1, null)).isBetween(Duration.ZERO, Duration.ofMillis(200));
    assertThat(policy.delay(3, null)).isBetween(Duration.ZERO, Duration.ofMillis(800));
    assertThat(policy.delay(30, null)).isBetween(Duration.ZERO, Duration.ofSeconds(30));
  }

  @Test
  void theInjectedRandomSourceSpansTheWholeRangeFromZeroToTheExponentialStep() {
    Backoff high = policy.backoff(HIGHEST, Clock.systemUTC());
    Backoff low = policy.backoff(LOWEST, Clock.systemUTC());

    assertThat(high.delay(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(high.delay(3)).isEqualTo(Duration.ofMillis(800));
    assertThat(high.delay(30)).isEqualTo(Duration.ofSeconds(30));
    assertThat(low.delay(1)).isEqualTo(Duration.ZERO);
    assertThat(low.delay(30)).isEqualTo(Duration.ZERO);
  }

  @Test
  void retryAfterIsALowerBoundCappedByTheMaximum() {
    assertThat(policy.delay(1, Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
    assertThat(policy.delay(1, Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(30));
  }
}
