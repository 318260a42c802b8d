package io.iomt.fhir.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FhirHttpRetryAfterTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));

  @Test
  void anHttpDateIsMeasuredFromTheInjectedClockNotTheSystemClock() {
    String date = "Mon, 30 Nov 2026 10:00:42 GMT";

    assertThat(FhirHttp.retryAfter(date, clock)).isEqualTo(Duration.ofSeconds(42));
    clock.advance(Duration.ofSeconds(40));
    assertThat(FhirHttp.retryAfter(date, clock)).isEqualTo(Duration.ofSeconds(2));
    clock.advance(Duration.ofMinutes(1));
    assertThat(FhirHttp.retryAfter(date, clock)).isEqualTo(Duration.ZERO);
  }

  @Test
  void secondsAreTakenAsTheyAreAndGarbageIsIgnored() {
    assertThat(FhirHttp.retryAfter("7", clock)).isEqualTo(Duration.ofSeconds(7));
    assertThat(FhirHttp.retryAfter("soon", clock)).isNull();
    assertThat(FhirHttp.retryAfter(null, clock)).isNull();
  }
}
