package io.iomt.azure.eventhubs;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.eventhubs.EventData;
import com.azure.messaging.eventhubs.ReceivedEvents;
import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.envelope.MessageLimits;
import io.iomt.core.mapping.DeviceMapping;
import io.iomt.core.measurement.Measurement;
import io.iomt.pipeline.Normalizer;
import io.iomt.pipeline.source.SourceEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventHubsEnvelopeTest {
  private static final Instant ENQUEUED = Instant.parse("2021-02-01T22:46:02Z");

  /** What IoT Hub's built-in endpoint delivers for a device's telemetry message. */
  private static EventData iotHubTelemetry() {
    return ReceivedEvents.message("{\"HeartRate\":\"78\"}".getBytes(StandardCharsets.UTF_8))
        .position(41, ENQUEUED)
        .annotation("iothub-connection-device-id", "device123")
        .annotation(
            "iothub-connection-auth-method",
            "{\"scope\":\"device\",\"type\":\"sas\",\"issuer\":\"iothub\",\"acceptingIpFilterRule\":null}")
        .annotation("iothub-connection-auth-generation-id", "637199981642612179")
        .annotation("iothub-enqueuedtime", ENQUEUED)
        .annotation("iothub-message-source", "Telemetry")
        .property("iothub-creation-time-utc", "2021-02-01T22:46:01.8750000Z")
        .messageId("m-1")
        .contentType("application/json")
        .received();
  }

  @Test
  void anIotHubMessageBecomesTheEnvelopeMedTechTemplatesRead() {
    SourceEvent event = EventHubsEnvelope.of("telemetry", "3", iotHubTelemetry());

    assertThat(event.source()).isEqualTo("telemetry");
    assertThat(event.partition()).isEqualTo(3);
    assertThat(event.position()).isEqualTo(41);
    assertThat(event.ingestionTime()).isEqualTo(ENQUEUED);
    assertThat(new String(event.body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"HeartRate\":\"78\"}");
    assertThat(event.propertiesAsText())
        .containsExactly(
            org.assertj.core.api.Assertions.entry(
                "iothub-creation-time-utc", "2021-02-01T22:46:01.8750000Z"));
    assertThat(event.systemProperties())
        .containsEntry("iothub-connection-device-id", "device123")
        .containsEntry("iothub-connection-auth-generation-id", "637199981642612179")
        .containsEntry("iothub-enqueuedtime", "2021-02-01T22:46:02Z")
        .containsEntry("iothub-message-source", "Telemetry")
        .containsEntry("x-opt-sequence-number", "41")
        .containsEntry("x-opt-offset", "4100")
        .containsEntry("x-opt-enqueued-time", "2021-02-01T22:46:02Z")
        .containsEntry("message-id", "m-1")
        .containsEntry("content-type", "application/json");
  }

  @Test
  void theIotJsonPathContentExampleOfTheMedTechDocumentationNormalizesUnchanged() throws Exception {
    DeviceMapping mapping =
        DeviceMapping.parse(
            Files.readAllBytes(
                Path.of(
                    "../iomt-core/src/test/resources/fixtures/device-mapping/iot-hub-heart-rate-doc-example/device-mapping.json")));
    Normalizer normalizer = new Normalizer(mapping, new EnvelopeReader(MessageLimits.DEFAULTS));

    Normalizer.Outcome outcome =
        normalizer.normalize(EventHubsEnvelope.of("telemetry", "0", iotHubTelemetry()));

    assertThat(outcome).isInstanceOf(Normalizer.Normalized.class);
    List<Measurement> measurements = ((Normalizer.Normalized) outcome).measurements();
    assertThat(measurements).hasSize(1);
    Measurement m = measurements.get(0);
    assertThat(m.deviceId()).isEqualTo("device123");
    assertThat(m.patientId()).isEqualTo("device123");
    assertThat(m.occurrenceTimeUtc()).isEqualTo(Instant.parse("2021-02-01T22:46:01.875Z"));
  }

  @Test
  void typedApplicationPropertiesArePassedAsText() {
    EventData event =
        ReceivedEvents.message(new byte[] {'{', '}'})
            .position(1, ENQUEUED)
            .property("count", 7L)
            .property("measuredAt", java.util.Date.from(ENQUEUED))
            .property("raw", "bytes".getBytes(StandardCharsets.UTF_8))
            .received();

    SourceEvent e = EventHubsEnvelope.of("hub", "0", event);

    assertThat(e.propertiesAsText())
        .containsEntry("count", "7")
        .containsEntry("measuredAt", "2021-02-01T22:46:02Z")
        .containsEntry("raw", "bytes");
  }
}
