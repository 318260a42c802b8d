package io.iomt.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

  /** Time that passes only when the wait sleeps. */
  private long now;

  private final List<Duration> sleeps = new ArrayList<>();

  private Await await(Duration timeout, Duration interval) {
    return new Await(
        timeout,
        interval,
        () -> now,
        d -> {
          sleeps.add(d);
          now += d.toNanos();
        });
  }

  @Test
  void returnsTheFirstValueThatMeetsTheConditionWithoutWaitingLonger() {
    AtomicInteger count = new AtomicInteger();

    int seen =
        await(Duration.ofSeconds(10), Duration.ofMillis(100))
            .until("observations in FHIR", count::incrementAndGet, n -> n == 4);

    assertThat(seen).isEqualTo(4);
    assertThat(sleeps)
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(100));
  }

  @Test
  void aValueAlreadyThereIsReturnedWithoutSleeping() {
    String seen =
        await(Duration.ofSeconds(1), Duration.ofMillis(100)).untilEquals("state", () -> "UP", "UP");

    assertThat(seen).isEqualTo("UP");
    assertThat(sleeps).isEmpty();
  }

  @Test
  void atTheTimeoutTheFailureNamesWhatWasAwaitedAndTheLastValueSeen() {
    AtomicInteger count = new AtomicInteger(340);
    Await wait = await(Duration.ofSeconds(1), Duration.ofMillis(300));

    assertThatThrownBy(
            () -> wait.until("observations in FHIR", count::incrementAndGet, n -> n == 350))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "observations in FHIR: condition not met after PT1S (5 reads); last value seen: <345>");
    // The last sleep is cut to the deadline, and the value is read once more at the deadline.
    assertThat(sleeps)
        .containsExactly(
            Duration.ofMillis(300),
            Duration.ofMillis(300),
            Duration.ofMillis(300),
            Duration.ofMillis(100));
  }

  @Test
  void untilEqualsShowsTheExpectedAndTheLastValue() {
    Await wait = await(Duration.ofMillis(200), Duration.ofMillis(100));

    assertThatThrownBy(() -> wait.untilEquals("observations of dev-1", () -> 9, 10))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "observations of dev-1: expected <10> after PT0.2S (3 reads); last value seen: <9>");
  }

  @Test
  void untilAssertedRetriesAssertJFailuresAndKeepsTheLastOneAsTheCause() {
    AtomicInteger reads = new AtomicInteger();
    Await wait = await(Duration.ofMillis(250), Duration.ofMillis(100));

    assertThatThrownBy(
            () ->
                wait.untilAsserted(
                    "readiness", () -> assertThat(reads.incrementAndGet()).as("status").isZero()))
        .isInstanceOf(AssertionError.class)
        .hasMessageStartingWith(
            "readiness: still failing after PT0.25S (4 reads); last failure: [status]")
        .hasMessageContaining("expected: 0")
        .hasMessageContaining("but was: 4")
        .cause()
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("but was: 4");
  }

  @Test
  void untilSatisfiesReturnsTheValueThatPassedTheAssertions() {
    AtomicInteger count = new AtomicInteger();

    int seen =
        await(Duration.ofSeconds(5), Duration.ofMillis(50))
            .untilSatisfies("count", count::incrementAndGet, n -> assertThat(n).isGreaterThan(2));

    assertThat(seen).isEqualTo(3);
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void anExceptionThatIsNotAnAssertionEndsTheWaitAtOnce() {
    Await wait = await(Duration.ofMinutes(1), Duration.ofMillis(100));

    assertThatThrownBy(
            () ->
                wait.until(
                    "count",
                    () -> {
                      throw new IllegalStateException("FHIR answered 500");
                    },
                    n -> true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("FHIR answered 500");
    assertThat(sleeps).isEmpty();
  }

  @Test
  void anInterruptEndsTheWaitAndKeepsTheInterruptFlag() {
    Await wait =
        new Await(
            Duration.ofMinutes(1),
            Duration.ofMillis(100),
            () -> now,
            d -> {
              throw new InterruptedException();
            });

    try {
      assertThatThrownBy(() -> wait.untilEquals("count", () -> 1, 2))
          .isInstanceOf(AssertionError.class)
          .hasMessage("count: interrupted while waiting");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void theRealClockWaitsUntilAnotherThreadHasDoneItsWork() throws InterruptedException {
    AtomicInteger done = new AtomicInteger();
    Thread worker = new Thread(() -> done.set(42));
    worker.start();

    assertThat(Await.untilEquals("the worker's result", done::get, 42, Duration.ofMinutes(1)))
        .isEqualTo(42);
    worker.join();
  }

  @Test
  void aNonPositiveIntervalOrANegativeTimeoutIsRefused() {
    assertThatThrownBy(() -> Await.atMost(Duration.ofSeconds(1)).every(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Await.atMost(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
