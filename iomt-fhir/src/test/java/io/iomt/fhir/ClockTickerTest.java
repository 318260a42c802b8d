package io.iomt.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.iomt.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ClockTickerTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));

  @Test
  void theTickerMovesExactlyAsTheInjectedClockMoves() {
    var ticker = ClockTicker.of(clock);
    long before = ticker.read();
    clock.advance(Duration.ofMillis(1500));

    assertThat(ticker.read() - before).isEqualTo(1_500_000_000L);
  }

  @Test
  void aCacheOnTheTickerExpiresWhenTheClockSaysSoAndNotBefore() {
    Cache<String, String> cache =
        Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(5))
            .ticker(ClockTicker.of(clock))
            .build();
    cache.put("device", "patient");

    clock.advance(Duration.ofMinutes(4));
    assertThat(cache.getIfPresent("device")).isEqualTo("patient");
    clock.advance(Duration.ofMinutes(2));
    assertThat(cache.getIfPresent("device")).isNull();
  }
}
