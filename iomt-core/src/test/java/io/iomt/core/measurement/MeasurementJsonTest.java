package io.iomt.core.measurement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeasurementJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aMeasurementSurvivesTheRoundTripThroughItsJsonForm() throws Exception {
    Measurement m =
        new Measurement(
            "bloodpressure",
            Instant.parse("2021-07-07T17:00:00.1234567Z"),
            Instant.parse("2021-07-07T17:00:01Z"),
            "dev1",
            "pat1",
            null,
            "corr",
            List.of(
                new MeasurementProperty("systolic", "120"),
                new MeasurementProperty("diastolic", "80")));
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.getFactory().createGenerator(w)) {
      MeasurementJson.write(g, m);
    }
    assertThat(w.toString()).doesNotContain("encounterId");
    assertThat(MeasurementJson.read(JSON.readTree(w.toString()))).isEqualTo(m);
  }

  @Test
  void aRecordWithoutTheRequiredFieldsIsRejected() {
    assertThatThrownBy(() -> MeasurementJson.read(JSON.readTree("{\"type\":\"hr\"}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("type, deviceId and occurrenceTimeUtc");
  }
}
