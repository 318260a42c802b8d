package io.iomt.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.iomt.benchmarks.DeviceMessages.Sample;
import io.iomt.core.mapping.DeviceMapping;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.measurement.MeasurementProperty;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The benchmark must measure real work: its mappings extract the expected reading from its pool.
 */
class NormalizationBenchmarkTest {
  private final NormalizationBenchmark benchmark = new NormalizationBenchmark();

  @BeforeEach
  void setUp() {
    benchmark.setUp();
  }

  @Test
  void messagesAreAboutOneKilobyteAndVary() throws Exception {
    Sample[] samples = benchmark.samples();
    assertThat(samples).hasSize(DeviceMessages.POOL_SIZE);
    for (Sample sample : samples) {
      assertThat(sample.body().length).isBetween(900, 1200);
      JsonNode body = benchmark.parse(sample);
      assertThat(body.path("readings").size()).isEqualTo(4);
    }
    assertThat(Arrays.stream(samples).map(Sample::deviceId).distinct().count()).isGreaterThan(8);
    assertThat(Arrays.stream(samples).map(Sample::heartRate).distinct().count()).isGreaterThan(8);
  }

  @Test
  void jsonPathMappingExtractsTheHeartRate() {
    assertExtracts(benchmark.jsonPathMapping());
  }

  @Test
  void jmesPathMappingExtractsTheHeartRate() {
    assertExtracts(benchmark.jmesPathMapping());
  }

  private void assertExtracts(DeviceMapping mapping) {
    assertThat(mapping.warnings()).isEmpty();
    for (Sample sample : benchmark.samples()) {
      List<Measurement> measurements = benchmark.normalize(mapping, sample);
      assertThat(measurements)
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.type()).isEqualTo(DeviceMessages.TYPE_NAME);
                assertThat(m.deviceId()).isEqualTo(sample.deviceId());
                assertThat(m.occurrenceTimeUtc()).isEqualTo(sample.time());
                assertThat(m.ingestionTimeUtc()).isEqualTo(sample.ingestionTime());
                assertThat(m.properties())
                    .containsExactly(
                        new MeasurementProperty(DeviceMessages.VALUE_NAME, sample.heartRate()));
              });
    }
  }
}
