package io.iomt.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.envelope.MessageLimits;
import io.iomt.core.mapping.MappingTrial;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.measurement.MeasurementProperty;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SampleMessagesTest {

  @Test
  void aHeartRateMessageIsFlatJsonWithAnIsoUtcTime() {
    assertThat(
            SampleMessages.heartRate(
                "monitor-01", "patient-01", Instant.parse("2026-01-01T10:00:05Z"), 78))
        .isEqualTo(
            "{\"deviceId\":\"monitor-01\",\"patientId\":\"patient-01\","
                + "\"endDate\":\"2026-01-01T10:00:05Z\",\"heartRate\":78}");
  }

  @Test
  void theSampleDeviceMappingReadsAHeartRateMessageAsOneMeasurement() throws IOException {
    byte[] mapping = Files.readAllBytes(Path.of("..", "samples", "device-mapping.json"));
    String message =
        SampleMessages.heartRate(
            "monitor-01", "patient-01", Instant.parse("2026-01-01T10:00:05Z"), 78);
    byte[] envelope = ("{\"Body\":" + message + "}").getBytes(StandardCharsets.UTF_8);

    MappingTrial.Completed done =
        (MappingTrial.Completed)
            MappingTrial.run(mapping, envelope, new EnvelopeReader(MessageLimits.DEFAULTS));

    assertThat(done.failures()).isEmpty();
    assertThat(done.measurements()).hasSize(1);
    Measurement m = done.measurements().get(0);
    assertThat(m.type()).isEqualTo("heartrate");
    assertThat(m.deviceId()).isEqualTo("monitor-01");
    assertThat(m.patientId()).isEqualTo("patient-01");
    assertThat(m.occurrenceTimeUtc()).isEqualTo(Instant.parse("2026-01-01T10:00:05Z"));
    assertThat(m.properties()).containsExactly(new MeasurementProperty("hr", "78"));
  }
}
