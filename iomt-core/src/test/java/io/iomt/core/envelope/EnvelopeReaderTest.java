package io.iomt.core.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.core.error.InvalidDataFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopeReaderTest {
  private final EnvelopeReader reader = new EnvelopeReader(MessageLimits.DEFAULTS);

  @Test
  void aMessageBecomesBodyPropertiesAndSystemProperties() {
    ObjectNode e =
        reader.envelope(
            "{\"hr\":60}".getBytes(StandardCharsets.UTF_8),
            Map.of("iothub-creation-time-utc", "2021-07-07T17:00:00Z"),
            Map.of("iothub-connection-device-id", "d1"));
    assertThat(e.toString())
        .isEqualTo(
            "{\"Body\":{\"hr\":60},\"Properties\":{\"iothub-creation-time-utc\":\"2021-07-07T17:00:00Z\"},"
                + "\"SystemProperties\":{\"iothub-connection-device-id\":\"d1\"}}");
  }

  @Test
  void aBodyThatIsNotJsonIsAnInvalidDataFormatError() {
    assertThatThrownBy(() -> reader.parseBody("heart rate 60".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidDataFormatException.class)
        .hasMessageStartingWith("The message is not valid JSON (line 1, column");
    assertThatThrownBy(
            () -> reader.parseBody("{\"a\":1} {\"b\":2}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidDataFormatException.class);
    assertThatThrownBy(() -> reader.parseBody(new byte[0]))
        .isInstanceOf(InvalidDataFormatException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void readingAFileOfEnvelopesKeepsTheIndexOfEachEvent() {
    List<EnvelopeReader.ReadEvent> events = new ArrayList<>();
    reader.readEnvelopes(
        "[{\"Body\":{}}, 5, {\"Body\":{}}]".getBytes(StandardCharsets.UTF_8), events::add);
    assertThat(events).hasSize(3);
    assertThat(events.get(0)).isInstanceOf(EnvelopeReader.Parsed.class);
    assertThat(events.get(1))
        .isInstanceOfSatisfying(
            EnvelopeReader.Rejected.class,
            r -> assertThat(r.error()).hasMessageContaining("Event 1 is a JSON number"));
    assertThat(events.get(2).index()).isEqualTo(2);
  }

  @Test
  void aSingleEnvelopeFollowedByMoreContentIsOneRejectionNotAHalfProcessedEvent() {
    List<EnvelopeReader.ReadEvent> events = new ArrayList<>();
    reader.readEnvelopes(
        "{\"Body\":{}}\n{\"Body\":{}}".getBytes(StandardCharsets.UTF_8), events::add);
    assertThat(events)
        .singleElement()
        .isInstanceOfSatisfying(
            EnvelopeReader.Rejected.class,
            r -> assertThat(r.error()).hasMessageContaining("put several events in a JSON array"));
  }

  @Test
  void aFiveThousandDigitNumberIsRefusedForItsLengthNotForItsNesting() {
    byte[] body = ("{\"hr\":" + "7".repeat(5000) + "}").getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> reader.parseBody(body))
        .isInstanceOf(InvalidDataFormatException.class)
        .hasMessage(
            "The message was not processed: a number of 5000 digits is longer than the maximum of"
                + " 1000 digits (a fixed limit of the connector's JSON reader)");
    List<String> errors = new ArrayList<>();
    reader.readEnvelopes(
        ("[{\"Body\":{\"hr\":" + "7".repeat(5000) + "}}]").getBytes(StandardCharsets.UTF_8),
        e -> {
          if (e instanceof EnvelopeReader.Rejected r) {
            errors.add(r.error().getMessage());
          }
        });
    assertThat(errors).singleElement().asString().contains("number of 5000 digits");
  }
}
