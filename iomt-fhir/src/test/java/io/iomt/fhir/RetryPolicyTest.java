package io.iomt.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.fhir.http.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy =
      new RetryPolicy(6, Duration.ofMillis(200), Duration.ofSeconds(30));

  @RepeatedTest(20)
  void delaysGrowExponentiallyWithJitterWithinTheirBounds() {
    assertThat(policy.delay(1, null)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(policy.delay(3, null)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
    assertThat(policy.delay(30, null)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
  }

  @Test
  void retryAfterIsALowerBoundCappedByTheMaximum() {
    assertThat(policy.delay(1, Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
    assertThat(policy.delay(1, Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(30));
  }
}
