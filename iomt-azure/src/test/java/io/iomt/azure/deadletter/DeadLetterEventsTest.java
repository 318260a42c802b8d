package io.iomt.azure.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.eventhubs.EventData;
import io.iomt.pipeline.DeadLetters;
import io.iomt.pipeline.deadletter.DeadLetter;
import io.iomt.pipeline.source.SourceEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadLetterEventsTest {
  private static final int ONE_MIB = 1024 * 1024;

  private static SourceEvent.Property h(String name, String value) {
    return new SourceEvent.Property(
        name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  /** A dead letter as the normalize stage writes one, at offset 41 of partition 0. */
  private static DeadLetter letter(String key, byte[] body, SourceEvent.Property... extra) {
    List<SourceEvent.Property> headers =
        new ArrayList<>(
            List.of(
                h("x-device-model", "ACME-7"),
                h(DeadLetters.STAGE, "Normalization"),
                h(DeadLetters.ERROR, "InvalidDataFormatException"),
                h(DeadLetters.SEVERITY, "NonBlocking"),
                h(DeadLetters.MESSAGE, "Unexpected character 'n' at line 1, column 1"),
                h(DeadLetters.SOURCE_TOPIC, "icu-events"),
                h(DeadLetters.SOURCE_PARTITION, "2"),
                h(DeadLetters.SOURCE_OFFSET, "1007")));
    headers.addAll(List.of(extra));
    return new DeadLetter(
        "icu",
        "icu-errors",
        0,
        41,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        body,
        headers);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theEventCarriesTheOriginalBodyTheHeadersTheErrorAndBothKafkaPositions() {
    DeadLetterEvents.HubEvent e =
        DeadLetterEvents.of(letter("monitor-01", utf8("not json")), ONE_MIB);
    EventData event = e.event();

    assertThat(event.getBody()).isEqualTo(utf8("not json"));
    assertThat(event.getProperties())
        .containsEntry("x-device-model", "ACME-7")
        .containsEntry("iomt.error.name", "InvalidDataFormatException")
        .containsEntry("iomt.error.stage", "Normalization")
        .containsEntry("iomt.error.message", "Unexpected character 'n' at line 1, column 1")
        .containsEntry("iomt.error.severity", "NonBlocking")
        .containsEntry("iomt.source.topic", "icu-events")
        .containsEntry("iomt.source.partition", "2")
        .containsEntry("iomt.source.offset", "1007")
        .containsEntry("iomt.connector", "icu")
        .containsEntry("iomt.deadletter.topic", "icu-errors")
        .containsEntry("iomt.deadletter.partition", "0")
        .containsEntry("iomt.deadletter.offset", "41")
        .containsEntry("iomt.source.key", "monitor-01")
        .doesNotContainKeys(DeadLetters.TRUNCATED, DeadLetters.DROPPED);
    assertThat(event.getProperties().values())
        .allSatisfy(v -> assertThat(v).isInstanceOf(String.class));
    assertThat(e.partitionKey()).isEqualTo("monitor-01");
  }

  @Test
  void withoutAKeyThereIsNoPartitionKeyAndNoKeyPropertyAndValuelessHeadersAreLeftOut() {
    DeadLetterEvents.HubEvent e =
        DeadLetterEvents.of(letter(null, utf8("{}"), h("x-empty", null)), ONE_MIB);

    assertThat(e.partitionKey()).isNull();
    assertThat(e.event().getProperties()).doesNotContainKeys("iomt.source.key", "x-empty");
    assertThat(DeadLetterEvents.of(letter("", utf8("{}")), ONE_MIB).partitionKey()).isNull();
  }

  @Test
  void aLongKeyIsCutTo128CharactersForThePartitionKeyButKeptWholeAsAProperty() {
    String key = "d".repeat(127) + "\uD83D\uDE00" + "tail"; // an emoji across the 128th char
    DeadLetterEvents.HubEvent e = DeadLetterEvents.of(letter(key, utf8("x")), ONE_MIB);

    assertThat(e.partitionKey()).isEqualTo("d".repeat(127));
    assertThat(e.event().getProperties()).containsEntry("iomt.source.key", key);
    String exact = "k".repeat(128);
    assertThat(DeadLetterEvents.of(letter(exact, utf8("x")), ONE_MIB).partitionKey())
        .isEqualTo(exact);
  }

  @Test
  void aBodyTooLargeForTheHubIsCutAndTheOriginalLengthIsSaid() {
    byte[] body = new byte[300 * 1024];
    Arrays.fill(body, (byte) 'a');
    int basicTier = 256 * 1024;

    EventData event = DeadLetterEvents.of(letter("m", body), basicTier).event();

    assertThat(event.getProperties()).containsEntry(DeadLetters.TRUNCATED, "307200");
    assertThat(event.getBody().length)
        .isLessThan(basicTier - DeadLetterEvents.OVERHEAD)
        .isPositive();
    assertThat(event.getBody()).isEqualTo(Arrays.copyOf(body, event.getBody().length));
    assertThat(estimatedSize(event)).isLessThanOrEqualTo(basicTier);
  }

  @Test
  void aBodyTheErrorTopicAlreadyCutKeepsItsTrueOriginalLength() {
    byte[] body = new byte[300 * 1024];
    EventData event =
        DeadLetterEvents.of(letter("m", body, h(DeadLetters.TRUNCATED, "5000000")), 256 * 1024)
            .event();

    assertThat(event.getProperties()).containsEntry(DeadLetters.TRUNCATED, "5000000");
  }

  @Test
  void aBodyThatFitsIsNeverCut() {
    byte[] body = new byte[200 * 1024];
    EventData event = DeadLetterEvents.of(letter("m", body), 256 * 1024).event();

    assertThat(event.getBody()).hasSize(200 * 1024);
    assertThat(event.getProperties()).doesNotContainKey(DeadLetters.TRUNCATED);
  }

  @Test
  void originalHeadersTooLargeToFitAreLeftOutAndSaidSoWhileTheErrorPropertiesStay() {
    DeadLetter big =
        letter(
            "m", utf8("body"), h("x-huge", "h".repeat(200 * 1024)), h(DeadLetters.DROPPED, "key"));

    EventData event = DeadLetterEvents.of(big, 256 * 1024).event();

    assertThat(event.getProperties())
        .doesNotContainKeys("x-huge", "x-device-model")
        .containsEntry(DeadLetters.DROPPED, "key,headers")
        .containsEntry("iomt.error.name", "InvalidDataFormatException")
        .containsEntry("iomt.deadletter.offset", "41");
    assertThat(event.getBody()).isEqualTo(utf8("body"));
  }

  /** Body plus property names and values: what the mapping must keep under the hub's limit. */
  private static int estimatedSize(EventData event) {
    int n = event.getBody().length;
    for (var e : event.getProperties().entrySet()) {
      n += e.getKey().length() + String.valueOf(e.getValue()).length();
    }
    return n;
  }
}
