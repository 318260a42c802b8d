package io.iomt.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Clock T0 =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  /** Always the largest value below the bound: the delay is the full ceiling. */
  private static final RandomGenerator LONGEST =
      new RandomGenerator() {
        @Override
        public long nextLong() {
          return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
          return bound - 1;
        }
      };

  private static Backoff backoff(RandomGenerator random) {
    return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), random, T0);
  }

  @Test
  void theCeilingDoublesFromTheInitialDelayUpToTheMaximum() {
    Backoff b = backoff(LONGEST);
    assertThat(b.ceiling(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(b.ceiling(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(b.ceiling(5)).isEqualTo(Duration.ofMillis(1600));
    assertThat(b.ceiling(6)).isEqualTo(Duration.ofSeconds(2));
    assertThat(b.ceiling(10_000)).as("no overflow").isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void fullJitterSpreadsDelaysOverTheWholeRangeFromZeroToTheCeiling() {
    Backoff b = backoff(new SplittableRandom(42));
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 10_000; i++) {
      long d = b.delay(3).toMillis();
      assertThat(d).isBetween(0L, 400L);
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    assertThat(min).as("shortest of 10,000 draws").isLessThan(20);
    assertThat(max).as("longest of 10,000 draws").isGreaterThan(380);
  }

  @Test
  void aRetryAfterIsALowerBoundCappedAtTheMaximum() {
    Backoff b = backoff(new SplittableRandom(1));
    assertThat(b.delay(1, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.delay(1, Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void attemptsCountConsecutiveFailuresAndTellWhenTheNextTryIsDue() {
    Backoff b = backoff(LONGEST);
    Backoff.Attempts attempts = b.attempts();
    assertThat(attempts.retryAt()).isNull();
    assertThat(attempts.waiting()).isFalse();

    assertThat(attempts.failed()).isEqualTo(Instant.parse("2026-01-01T00:00:00.100Z"));
    assertThat(attempts.failed()).isEqualTo(Instant.parse("2026-01-01T00:00:00.200Z"));
    assertThat(attempts.failures()).isEqualTo(2);
    assertThat(attempts.waiting()).as("the fixed clock has not reached the retry").isTrue();

    attempts.succeeded();
    assertThat(attempts.failures()).isZero();
    assertThat(attempts.retryAt()).isNull();
    assertThat(attempts.failedDelay()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void nonsensicalSettingsAreRefused() {
    assertThatThrownBy(() -> Backoff.of(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("initial backoff must be positive");
    assertThatThrownBy(() -> Backoff.of(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("max backoff must be at least the initial");
    assertThatThrownBy(() -> backoff(LONGEST).delay(0)).hasMessageContaining("count from 1");
  }
}
