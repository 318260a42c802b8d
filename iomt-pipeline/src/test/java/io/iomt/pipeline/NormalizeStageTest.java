package io.iomt.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.envelope.MessageLimits;
import io.iomt.core.mapping.DeviceMapping;
import io.iomt.core.measurement.Measurement;
import io.iomt.pipeline.source.InMemoryEventSource;
import io.iomt.pipeline.source.SourceEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The normalize stage on an in-memory source and Kafka's own MockProducer: no broker needed. */
class NormalizeStageTest {
  static DeviceMapping mapping;

  @BeforeAll
  static void load() throws Exception {
    mapping =
        DeviceMapping.parse(Files.readAllBytes(PipelineIT.SAMPLES.resolve("device-mapping.json")));
  }

  private static SourceEvent event(int partition, long position, String body, String... props) {
    List<SourceEvent.Property> properties = new java.util.ArrayList<>();
    for (int i = 0; i < props.length; i += 2) {
      properties.add(
          new SourceEvent.Property(props[i], props[i + 1].getBytes(StandardCharsets.UTF_8)));
    }
    return new SourceEvent(
        "events",
        partition,
        position,
        null,
        body.getBytes(StandardCharsets.UTF_8),
        properties,
        Map.of("x-opt-enqueued-time", "2026-01-01T10:00:00Z"),
        Instant.parse("2026-01-01T10:00:00Z"));
  }

  private final InMemoryEventSource source = new InMemoryEventSource(100);
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer());

  private NormalizeStage stage() {
    return stage(producer);
  }

  private NormalizeStage stage(org.apache.kafka.clients.producer.Producer<byte[], byte[]> out) {
    source.start();
    return new NormalizeStage(
        source,
        out,
        new Normalizer(mapping, new EnvelopeReader(MessageLimits.DEFAULTS)),
        new DeadLetters("errors", 1024 * 1024),
        new NormalizeStage.Config("normalized", Duration.ofMillis(10)),
        StageMetrics.NONE,
        Clock.systemUTC(),
        new StatusHolder("test"));
  }

  @Test
  void measurementsAreKeyedByDeviceAndProgressIsCommittedPerPartitionAfterTheAcks() {
    source.offer(
        event(0, 7, PipelineIT.heartRate("dev-a", "p", 1, 61)),
        event(1, 3, PipelineIT.heartRate("dev-b", "p", 2, 62)),
        event(0, 8, PipelineIT.heartRate("dev-a", "p", 3, 63)));

    stage().runOnce();

    assertThat(producer.history())
        .extracting(r -> r.topic() + ":" + new String(r.key(), StandardCharsets.UTF_8))
        .containsExactly("normalized:dev-a", "normalized:dev-b", "normalized:dev-a");
    Measurement first = MeasurementCodec.decode(producer.history().get(0).value());
    assertThat(first.properties().get(0).value()).isEqualTo("61");
    assertThat(source.committed()).isEqualTo(Map.of(0, 9L, 1, 4L));
  }

  @Test
  void aMessageThatCannotBeNormalizedIsDeadLetteredWithItsOriginalBytesAndHeadersAndCommitted() {
    source.offer(event(0, 0, "heart rate 62", "device-model", "X1"));

    stage().runOnce();

    ProducerRecord<byte[], byte[]> letter = producer.history().get(0);
    assertThat(letter.topic()).isEqualTo("errors");
    assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("heart rate 62");
    assertThat(DeadLetters.header(letter.headers(), "device-model")).isEqualTo("X1");
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.ERROR))
        .isEqualTo("InvalidDataFormatException");
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
    assertThat(source.committed()).isEqualTo(Map.of(0, 1L));
  }

  @Test
  void aReplayedMessageThatFailsAgainIsDeadLetteredNamingTheDeadLetterItReplays() {
    source.offer(event(0, 5, "heart rate 62", DeadLetters.REPLAY_OF, "errors/0/17", "model", "X1"));

    stage().runOnce();

    ProducerRecord<byte[], byte[]> letter = producer.history().get(0);
    assertThat(letter.topic()).isEqualTo("errors");
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.REPLAY_OF))
        .isEqualTo("errors/0/17");
    assertThat(DeadLetters.header(letter.headers(), "model")).isEqualTo("X1");
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("5");
  }

  @Test
  void theMeasurementsOfAReplayedMessageCarryTheReplayHeaderAndOthersCarryNone() {
    source.offer(
        event(
            0,
            0,
            PipelineIT.heartRate("dev-a", "p", 1, 61),
            DeadLetters.REPLAY_OF,
            "e/0/3",
            DeadLetters.REPLAY_ID,
            "abc",
            "model",
            "X1"),
        event(0, 1, PipelineIT.heartRate("dev-b", "p", 2, 62)));

    stage().runOnce();

    assertThat(producer.history()).hasSize(2);
    assertThat(DeadLetters.header(producer.history().get(0).headers(), DeadLetters.REPLAY_OF))
        .isEqualTo("e/0/3");
    assertThat(DeadLetters.header(producer.history().get(0).headers(), DeadLetters.REPLAY_ID))
        .isEqualTo("abc");
    assertThat(DeadLetters.header(producer.history().get(0).headers(), "model")).isNull();
    assertThat(producer.history().get(1).headers().toArray()).isEmpty();
  }

  @Test
  void nothingIsCommittedWhenTheBrokerFailsAndTheEventsComeAgainAfterARestart() {
    MockProducer<byte[], byte[]> failing =
        new MockProducer<>(false, new ByteArraySerializer(), new ByteArraySerializer()) {
          @Override
          public synchronized void flush() {
            while (errorNext(new org.apache.kafka.common.errors.TimeoutException("no broker"))) {
              // Fail every pending send, as a broker outage beyond the producer's retries does.
            }
          }
        };
    source.offer(event(0, 0, PipelineIT.heartRate("dev-a", "p", 1, 61)));
    NormalizeStage stage = stage(failing);

    org.assertj.core.api.Assertions.assertThatThrownBy(stage::runOnce)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("offsets not committed");
    assertThat(source.committed()).isEmpty();

    source.rewind();
    stage().runOnce();
    assertThat(producer.history()).hasSize(1);
    assertThat(source.committed()).isEqualTo(Map.of(0, 1L));
  }

  @Test
  void invalidUnicodeInADeviceIdIsDeadLetteredInsteadOfMergingDevices() {
    source.offer(
        event(
            0,
            0,
            "{\"deviceId\":\"dev\\ud800\",\"patientId\":\"p\",\"endDate\":\"2026-01-01T10:00:00Z\",\"heartRate\":60}"),
        event(
            0,
            1,
            "{\"deviceId\":\"dev\\ud801\",\"patientId\":\"p\",\"endDate\":\"2026-01-01T10:00:00Z\",\"heartRate\":61}"));

    stage().runOnce();

    assertThat(producer.history())
        .extracting(ProducerRecord::topic)
        .containsExactly("errors", "errors");
    assertThat(DeadLetters.header(producer.history().get(0).headers(), DeadLetters.MESSAGE))
        .contains("lone high surrogate");
  }

  @Test
  void anIotHubEventFindsItsDeviceInTheSystemPropertiesAsMedTechMappingsExpect() {
    DeviceMapping iot =
        DeviceMapping.parse(
            """
            {"templateType": "CollectionContent", "template": [{"templateType": "IotJsonPathContent",
              "template": {"typeName": "heartrate", "typeMatchExpression": "$..[?(@Body.heartRate)]",
                "values": [{"required": true, "valueExpression": "$.Body.heartRate", "valueName": "hr"}]}}]}
            """
                .getBytes(StandardCharsets.UTF_8));
    SourceEvent event =
        new SourceEvent(
            "hub",
            0,
            0,
            null,
            "{\"heartRate\":72}".getBytes(StandardCharsets.UTF_8),
            List.of(),
            Map.of(
                "iothub-connection-device-id", "monitor-7",
                "iothub-enqueuedtime", "2026-01-01T10:00:00Z"),
            Instant.parse("2026-01-01T10:00:00Z"));

    Normalizer.Outcome outcome =
        new Normalizer(iot, new EnvelopeReader(MessageLimits.DEFAULTS)).normalize(event);

    assertThat(outcome).isInstanceOf(Normalizer.Normalized.class);
    Measurement m = ((Normalizer.Normalized) outcome).measurements().get(0);
    assertThat(m.deviceId()).isEqualTo("monitor-7");
    assertThat(m.occurrenceTimeUtc()).isEqualTo(Instant.parse("2026-01-01T10:00:00Z"));
  }
}
