package io.iomt.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.envelope.MessageLimits;
import io.iomt.core.error.DataException;
import io.iomt.core.mapping.DeviceMapping;
import io.iomt.core.measurement.Measurement;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The demo's one malformed message (a monitor on new firmware names its timestamp differently): the
 * bundled device mapping dead-letters it with MedTech's error, and the fix the README shows (the
 * heart-rate template's timestamp as a JMESPath expression with a fallback) reads it and reads
 * every other message as before.
 */
class NewFirmwareTest {

  private final EnvelopeReader reader = new EnvelopeReader(MessageLimits.DEFAULTS);

  @Test
  void theBundledStreamEndsWithTheOneMessageOfTheMonitorOnNewFirmware() {
    List<String> messages = DemoStream.bundled().messages();

    assertThat(messages.get(messages.size() - 1))
        .isEqualTo(
            "{\"deviceId\":\"monitor-01\",\"patientId\":\"patient-01\",\"firmware\":\"2.0.0\","
                + "\"timestamp\":\"2026-11-26T09:00:02.171Z\",\"heartRate\":78}");
    assertThat(messages).filteredOn(m -> m.contains("\"firmware\"")).hasSize(1);
  }

  @Test
  void theBundledMappingRejectsItWithMedTechsErrorNamingTheTimestampExpression()
      throws IOException {
    DeviceMapping bundled = DeviceMapping.parse(resource("demo/device-mapping.json"));

    assertThatThrownBy(() -> normalize(bundled, newFirmwareMessage()))
        .isInstanceOfSatisfying(
            DataException.class,
            e -> assertThat(e.errorName()).isEqualTo("IncompatibleDataException"))
        .hasMessageStartingWith("Unable to extract required value for [")
        .hasMessageContaining("using $.matchedToken.endDate")
        // [timestamp] today, MedTech's [TimestampExpression] once the engine's wording is aligned
        .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("[timestamp"));
  }

  @Test
  void theFixInTheReadmeReadsItAsAHeartRateAndEveryOtherMessageAsBefore() throws IOException {
    String bundledText = new String(resource("demo/device-mapping.json"), StandardCharsets.UTF_8);
    DeviceMapping bundled = DeviceMapping.parse(bundledText);
    DeviceMapping fixed = DeviceMapping.parse(fixed(bundledText));

    List<Measurement> measurements = normalize(fixed, newFirmwareMessage());

    assertThat(measurements).hasSize(1);
    Measurement heartRate = measurements.get(0);
    assertThat(heartRate.type()).isEqualTo("heartrate");
    assertThat(heartRate.deviceId()).isEqualTo("monitor-01");
    assertThat(heartRate.patientId()).isEqualTo("patient-01");
    assertThat(heartRate.occurrenceTimeUtc()).isEqualTo(Instant.parse("2026-11-26T09:00:02.171Z"));
    assertThat(heartRate.properties())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.name()).isEqualTo("hr");
              assertThat(p.value()).isEqualTo("78");
            });
    List<String> others = DemoStream.bundled().messages();
    for (String message : others.subList(0, others.size() - 1)) {
      assertThat(normalize(fixed, message)).as(message).isEqualTo(normalize(bundled, message));
    }
  }

  /**
   * The bundled mapping with the fix the README describes: the heart-rate template's {@code
   * timestampExpression} as a JMESPath expression that falls back to the new firmware's name.
   */
  static String fixed(String deviceMapping) {
    String before = "\"timestampExpression\": \"$.matchedToken.endDate\"";
    assertThat(deviceMapping).contains(before);
    return deviceMapping.replaceFirst(
        java.util.regex.Pattern.quote(before),
        "\"timestampExpression\": {\"value\": \"matchedToken.endDate || matchedToken.timestamp\","
            + " \"language\": \"JmesPath\"}");
  }

  private static String newFirmwareMessage() {
    List<String> messages = DemoStream.bundled().messages();
    return messages.get(messages.size() - 1);
  }

  private List<Measurement> normalize(DeviceMapping mapping, String message) {
    return mapping.normalize(
        reader.envelope(message.getBytes(StandardCharsets.UTF_8), Map.of(), Map.of()), null);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = NewFirmwareTest.class.getClassLoader().getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }
}
