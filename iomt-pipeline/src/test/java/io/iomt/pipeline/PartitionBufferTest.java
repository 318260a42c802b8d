package io.iomt.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iomt.core.measurement.Measurement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionBufferTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static Measurement m(int i) {
    return new Measurement("hr", T0.plusSeconds(i), T0, "d1", null, null, null, List.of());
  }

  @Test
  void aBufferIsDueWhenItHoldsMaxEvents() {
    PartitionBuffer<Measurement> b =
        new PartitionBuffer<>(new FlushPolicy(3, Duration.ofMinutes(5)));
    b.add(m(1), 10, T0);
    b.add(m(2), 11, T0);
    assertThat(b.isDue(T0)).isFalse();
    b.add(m(3), 12, T0);
    assertThat(b.isDue(T0)).isTrue();
  }

  @Test
  void aBufferIsDueWhenItsOldestMeasurementWaitedMaxAgeSecondsWork() {
    PartitionBuffer<Measurement> b =
        new PartitionBuffer<>(new FlushPolicy(1000, Duration.ofSeconds(2)));
    b.add(m(1), 10, T0);
    b.add(m(2), 11, T0.plusSeconds(1));
    assertThat(b.isDue(T0.plusMillis(1999))).isFalse();
    assertThat(b.isDue(T0.plusSeconds(2))).isTrue();
  }

  @Test
  void drainingGivesTheOffsetToCommitAndEmptiesTheBuffer() {
    PartitionBuffer<Measurement> b =
        new PartitionBuffer<>(new FlushPolicy(10, Duration.ofSeconds(1)));
    b.add(m(1), 41, T0);
    b.skip(42, T0);
    PartitionBuffer.Batch<Measurement> batch = b.drain();
    assertThat(batch.measurements()).hasSize(1);
    assertThat(batch.commitOffset()).isEqualTo(43);
    assertThat(b.isEmpty()).isTrue();
    assertThat(b.isDue(T0.plusSeconds(10))).isFalse();
  }

  @Test
  void aFailedBatchGoesBackInFrontKeepingItsAge() {
    PartitionBuffer<Measurement> b =
        new PartitionBuffer<>(new FlushPolicy(10, Duration.ofSeconds(5)));
    b.add(m(1), 1, T0);
    PartitionBuffer.Batch<Measurement> batch = b.drain();
    b.add(m(2), 2, T0.plusSeconds(4));
    b.restore(batch, T0);
    assertThat(b.size()).isEqualTo(2);
    assertThat(b.oldest()).isEqualTo(T0);
    assertThat(b.isDue(T0.plusSeconds(5))).isTrue();
    assertThat(b.drain().commitOffset()).isEqualTo(3);
  }

  @Test
  void aPolicyRejectsNonPositiveLimits() {
    assertThatThrownBy(() -> new FlushPolicy(0, Duration.ofSeconds(1)))
        .hasMessageContaining("maxEvents must be positive");
    assertThatThrownBy(() -> new FlushPolicy(1, Duration.ZERO)).hasMessageContaining("maxAge");
  }
}
