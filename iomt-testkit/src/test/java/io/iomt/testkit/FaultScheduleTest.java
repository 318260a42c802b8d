package io.iomt.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

  private final FaultSchedule schedule = new FaultSchedule();

  @Test
  void forwardsPlainlyWhenNothingIsScheduled() {
    assertThat(schedule.next()).isEmpty();
  }

  @Test
  void consumesCountedFaultsInTheOrderTheyWereScheduled() {
    Fault throttled = new Fault.Fail(429, Duration.ofSeconds(1));
    Fault slow = new Fault.Delay(Duration.ofMillis(5));
    schedule.add(2, throttled);
    schedule.add(0, new Fault.DropRequest());
    schedule.add(1, slow);

    assertThat(schedule.next()).contains(throttled);
    assertThat(schedule.next()).contains(throttled);
    assertThat(schedule.next()).contains(slow);
    assertThat(schedule.next()).isEmpty();
  }

  @Test
  void anOpenDropWindowDropsEveryRequestAndKeepsScheduledFaultsWaiting() {
    Fault throttled = new Fault.Fail(429, null);
    schedule.add(1, throttled);
    schedule.dropFor(Duration.ofMinutes(1));

    assertThat(schedule.next()).contains(new Fault.DropRequest());
    assertThat(schedule.next()).contains(new Fault.DropRequest());
    schedule.dropFor(Duration.ZERO);
    assertThat(schedule.next()).contains(throttled);
  }

  @Test
  void clearCancelsFaultsAndTheDropWindow() {
    schedule.add(3, new Fault.LoseResponse());
    schedule.dropFor(Duration.ofMinutes(1));

    schedule.clear();

    assertThat(schedule.next()).isEqualTo(Optional.empty());
  }

  @Test
  void rejectsNegativeCountsAndDurations() {
    assertThatThrownBy(() -> schedule.add(-1, new Fault.DropRequest()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> schedule.dropFor(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
