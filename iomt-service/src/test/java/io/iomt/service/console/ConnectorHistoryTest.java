package io.iomt.service.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.iomt.service.console.ConnectorHistory.Point;
import io.iomt.service.console.ConnectorHistory.Reading;
import io.iomt.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectorHistoryTest {
  private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  private final MutableClock clock = new MutableClock(T0);
  private final List<String> running = new ArrayList<>(List.of("icu"));
  private final Map<String, Reading> readings = new HashMap<>();
  private final ConnectorHistory history =
      new ConnectorHistory(clock, Duration.ofSeconds(10), () -> running, readings::get);

  private static Reading reading(long messages, long measurements, long obs, long errors) {
    return new Reading(messages, measurements, obs, errors, 7L, null);
  }

  @Test
  void theFirstSampleIsABaselineAndTheNextOnesAreRatesPerSecondBetweenSamples() {
    readings.put("icu", reading(100, 300, 50, 2));
    history.sample();
    assertThat(history.points("icu")).isEmpty();
    assertThat(history.tracks("icu")).isTrue();

    clock.advance(Duration.ofSeconds(10));
    readings.put("icu", reading(150, 450, 80, 3));
    history.sample();
    clock.advance(Duration.ofSeconds(20)); // a late sample: rates over the real time between them
    readings.put("icu", reading(170, 450, 80, 3));
    history.sample();

    assertThat(history.points("icu"))
        .containsExactly(
            new Point("2026-11-30T10:00:10Z", 5.0, 15.0, 3.0, 0.1, 7L, null),
            new Point("2026-11-30T10:00:30Z", 1.0, 0.0, 0.0, 0.0, 7L, null));
  }

  @Test
  void theRingKeepsTheLastHourOnly() {
    assertThat(history.capacity()).isEqualTo(360);
    for (int i = 0; i <= 400; i++) {
      readings.put("icu", reading(i * 10L, 0, 0, 0));
      history.sample();
      clock.advance(Duration.ofSeconds(10));
    }

    List<Point> points = history.points("icu");
    assertThat(points).hasSize(360);
    assertThat(Instant.parse(points.get(0).time())).isEqualTo(T0.plusSeconds(410));
    assertThat(Instant.parse(points.get(359).time())).isEqualTo(T0.plusSeconds(4000));
    assertThat(points).allSatisfy(p -> assertThat(p.messagesPerSecond()).isEqualTo(1.0));
  }

  @Test
  void theCapacityFollowsTheInterval() {
    ConnectorHistory fast =
        new ConnectorHistory(clock, Duration.ofSeconds(1), () -> running, readings::get);
    assertThat(fast.capacity()).isEqualTo(3600);
  }

  @Test
  void aConnectorThatNoLongerRunsIsDroppedAndOneMadeAgainStartsAfresh() {
    readings.put("icu", reading(10, 0, 0, 0));
    readings.put("ward", reading(0, 0, 0, 0));
    running.add("ward");
    history.sample();
    clock.advance(Duration.ofSeconds(10));
    history.sample();
    assertThat(history.points("ward")).hasSize(1);

    running.remove("ward"); // removed through the management API
    clock.advance(Duration.ofSeconds(10));
    history.sample();
    assertThat(history.tracks("ward")).isFalse();
    assertThat(history.points("ward")).isEmpty();
    assertThat(history.points("icu")).hasSize(2);

    running.add("ward");
    clock.advance(Duration.ofSeconds(10));
    history.sample();
    assertThat(history.points("ward")).as("only a new baseline").isEmpty();
  }

  @Test
  void aCounterThatWentDownCountsFromZero() {
    readings.put("icu", reading(500, 0, 0, 0));
    history.sample();
    clock.advance(Duration.ofSeconds(10));
    readings.put("icu", reading(20, 0, 0, 0)); // meters restarted
    history.sample();

    assertThat(history.points("icu").get(0).messagesPerSecond()).isCloseTo(2.0, within(1e-9));
  }

  @Test
  void aReadingThatFailsOrAClockThatDidNotMoveAddsNoPoint() {
    readings.put("icu", reading(0, 0, 0, 0));
    history.sample();
    history.sample(); // same instant
    assertThat(history.points("icu")).isEmpty();

    readings.remove("icu");
    ConnectorHistory failing =
        new ConnectorHistory(
            clock,
            Duration.ofSeconds(10),
            () -> running,
            name -> {
              throw new IllegalStateException("broker gone");
            });
    failing.sample();
    assertThat(failing.tracks("icu")).isFalse();
  }

  @Test
  void startedItSamplesByItselfUntilClosed() {
    readings.put("icu", reading(0, 0, 0, 0));
    ConnectorHistory scheduled =
        new ConnectorHistory(
            clock,
            Duration.ofMillis(20),
            () -> running,
            name -> {
              clock.advance(Duration.ofSeconds(1));
              return readings.get(name);
            });
    scheduled.start();
    try {
      io.iomt.testkit.Await.atMost(Duration.ofSeconds(30))
          .every(Duration.ofMillis(10))
          .until("two points", () -> scheduled.points("icu").size(), n -> n >= 2);
    } finally {
      scheduled.close();
    }
  }

  @Test
  void aRingOverwritesItsOldestElement() {
    HistoryRing<Integer> ring = new HistoryRing<>(3);
    assertThat(ring.toList()).isEmpty();
    for (int i = 1; i <= 5; i++) {
      ring.add(i);
    }
    assertThat(ring.toList()).containsExactly(3, 4, 5);
  }
}
