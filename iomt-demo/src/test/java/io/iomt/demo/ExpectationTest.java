package io.iomt.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.mapping.DeviceMapping;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectationTest {

  private static final StreamGenerator.Plan FIVE_MINUTES =
      new StreamGenerator.Plan(
          Instant.parse("2026-11-26T08:00:00Z"), Duration.ofMinutes(5), 2, 1, 1, 7L);

  @Test
  void theBundledStreamMakesOneObservationPerHeartRateAndBloodPressureAndOnePerOximeterHour()
      throws IOException {
    Expectation expected = expectation(DemoStream.bundled().messages());

    // 10 monitors every 2 min and 4 cuffs every 5 min for an hour; 2 oximeters at 1 Hz, one hour.
    assertThat(expected.byType())
        .containsEntry("heartrate", new TypeCount(10 * 30, 10 * 30))
        .containsEntry("bloodpressure", new TypeCount(4 * 12, 4 * 12))
        .containsEntry("spo2", new TypeCount(2, 2 * 3600))
        .hasSize(3);
    assertThat(expected.observations()).isEqualTo(350);
    assertThat(expected.measurements()).isEqualTo(7548);
    assertThat(expected.deviceIds()).hasSize(16).contains("monitor-10", "cuff-04", "oximeter-02");
    // the monitor on new firmware (StreamGenerator.NEW_FIRMWARE)
    assertThat(expected.rejected()).isEqualTo(1);
  }

  @Test
  void aMessageTheMappingRejectsIsCountedAndMakesNothing() throws IOException {
    List<String> messages = StreamGenerator.messages(FIVE_MINUTES);
    List<String> withBadOne = new java.util.ArrayList<>(messages);
    withBadOne.add(
        "{\"deviceId\":\"monitor-01\",\"patientId\":\"patient-01\",\"endDate\":\"not a time\","
            + "\"heartRate\":70}");

    Expectation expected = expectation(withBadOne);

    assertThat(expected.rejected()).isEqualTo(expectation(messages).rejected() + 1);
    assertThat(expected.observations()).isEqualTo(expectation(messages).observations());
  }

  @Test
  void aSmallPlanMakesWhatTheDemoTestExpects() throws IOException {
    List<String> messages = StreamGenerator.messages(FIVE_MINUTES);

    Expectation expected = expectation(messages);

    // and the first monitor's message on new firmware, which the mapping rejects
    assertThat(messages).hasSize(6 + 1 + 100 + 1);
    assertThat(expected.rejected()).isEqualTo(1);
    assertThat(expected.observations()).isEqualTo(6 + 1 + 1);
    assertThat(expected.measurements()).isEqualTo(6 + 1 + 300);
  }

  static Expectation expectation(List<String> messages) throws IOException {
    return Expectation.of(
        messages,
        DeviceMapping.parse(resource("demo/device-mapping.json")),
        FhirMapping.parse(resource("demo/fhir-mapping.json")));
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ExpectationTest.class.getClassLoader().getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }
}
