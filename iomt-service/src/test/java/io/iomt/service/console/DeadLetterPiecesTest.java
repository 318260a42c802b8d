package io.iomt.service.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iomt.pipeline.Connector;
import io.iomt.pipeline.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLetterPiecesTest {
  static final Connector.Topics TOPICS = new Connector.Topics("src", "norm", "errs");

  static ConsumerRecord<byte[], byte[]> letter(long offset, long time, String body, String... h) {
    RecordHeaders headers = new RecordHeaders();
    for (int i = 0; i < h.length; i += 2) {
      headers.add(h[i], h[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return new ConsumerRecord<>(
        "errs",
        0,
        offset,
        time,
        TimestampType.CREATE_TIME,
        -1,
        -1,
        "key".getBytes(StandardCharsets.UTF_8),
        body.getBytes(StandardCharsets.UTF_8),
        headers,
        Optional.empty());
  }

  @Test
  void aCursorIsWrittenAndReadBackPartitionByPartition() {
    TopicCursor c = TopicCursor.parse("1-40,0-17");
    assertThat(c.toString()).isEqualTo("0-17,1-40");
    assertThat(c.before(1, 99)).isEqualTo(40);
    assertThat(c.before(2, 99)).isEqualTo(99);
    assertThat(TopicCursor.parse(c.toString())).isEqualTo(c);
    assertThatThrownBy(() -> TopicCursor.parse("0-1,0-2")).hasMessageContaining("twice");
    assertThatThrownBy(() -> TopicCursor.parse("zero"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RecordPosition.parse("-1-3"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theFilterMatchesErrorNameExactlyDeviceInTheBodyAndTimeInclusively() {
    ConsumerRecord<byte[], byte[]> r =
        letter(
            3,
            1_000,
            "{\"deviceid\":\"monitor-16\"}",
            DeadLetters.ERROR,
            "IncompatibleDataException");
    assertThat(DeadLetterFilter.ANY.matches(r)).isTrue();
    assertThat(DeadLetterFilter.of("IncompatibleDataException", "monitor-1", null, null).matches(r))
        .isTrue();
    assertThat(DeadLetterFilter.of("Incompatible", null, null, null).matches(r)).isFalse();
    assertThat(DeadLetterFilter.of(null, "monitor-17", null, null).matches(r)).isFalse();
    String at = Instant.ofEpochMilli(1_000).toString();
    assertThat(DeadLetterFilter.of(null, null, at, at).matches(r)).isTrue();
    assertThat(
            DeadLetterFilter.of(null, null, Instant.ofEpochMilli(1_001).toString(), null)
                .matches(r))
        .isFalse();
    assertThatThrownBy(() -> DeadLetterFilter.of(null, null, "monday", null))
        .hasMessageContaining("from is not an ISO-8601 instant");
  }

  @Test
  void aReplayIdCarriesItsTokenTimeAndPositionsThroughItsText() {
    List<ReplayId.Entry> entries = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      entries.add(
          new ReplayId.Entry(
              new RecordPosition(0, 1_000_000L + i * 3),
              i % 2 == 0 ? ReplayPlan.Target.SOURCE : ReplayPlan.Target.NORMALIZED,
              i % 4,
              5_000_000L - i));
    }
    ReplayId id =
        new ReplayId("00ff00ff00ff00ff", Instant.ofEpochMilli(1_700_000_000_123L), entries);
    String text = id.encode();
    assertThat(text).startsWith("r1.").matches("[A-Za-z0-9._-]+");
    assertThat(text.length()).isLessThan(4000);
    assertThat(ReplayId.decode(text)).isEqualTo(id);
    assertThatThrownBy(() -> ReplayId.decode("r1.AAAA"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReplayId.decode(text + "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReplayId.decode("0-17")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aReplayKeepsTheOriginalKeyBodyAndHeadersAndNamesTheDeadLetterItReplays() {
    ConsumerRecord<byte[], byte[]> r =
        letter(
            17,
            1,
            "body",
            "device-model",
            "X1",
            DeadLetters.STAGE,
            "Normalization",
            DeadLetters.ERROR,
            "InvalidDataFormatException",
            DeadLetters.SOURCE_TOPIC,
            "src",
            DeadLetters.SOURCE_PARTITION,
            "1",
            DeadLetters.SOURCE_OFFSET,
            "2041",
            DeadLetters.REPLAY_OF,
            "errs/0/3",
            DeadLetters.REPLAY_ID,
            "0000000000000001");

    ReplayPlan.Send send =
        (ReplayPlan.Send) ReplayPlan.of(r, "00000000000000aa", TOPICS, true, t -> 2);

    assertThat(send.target()).isEqualTo(ReplayPlan.Target.SOURCE);
    assertThat(send.record().topic()).isEqualTo("src");
    assertThat(send.record().partition()).isEqualTo(1);
    assertThat(new String(send.record().key(), StandardCharsets.UTF_8)).isEqualTo("key");
    assertThat(new String(send.record().value(), StandardCharsets.UTF_8)).isEqualTo("body");
    List<String> names = new ArrayList<>();
    send.record().headers().forEach(h -> names.add(h.key()));
    assertThat(names).containsExactly("device-model", DeadLetters.REPLAY_ID, DeadLetters.REPLAY_OF);
    assertThat(DeadLetters.header(send.record().headers(), DeadLetters.REPLAY_OF))
        .isEqualTo("errs/0/17");
    assertThat(DeadLetters.header(send.record().headers(), DeadLetters.REPLAY_ID))
        .isEqualTo("00000000000000aa");
    // the partition is left to the key when the topic has fewer partitions now
    assertThat(
            ((ReplayPlan.Send) ReplayPlan.of(r, "00000000000000aa", TOPICS, true, t -> 1))
                .record()
                .partition())
        .isNull();
  }

  @Test
  void aGroupingFailureGoesBackToTheNormalizedTopicAndIncompleteOnesAreSkipped() {
    ReplayPlan grouping =
        ReplayPlan.of(
            letter(1, 1, "m", DeadLetters.STAGE, "FHIRConversion"),
            "00000000000000aa",
            TOPICS,
            false,
            t -> 1);
    assertThat(((ReplayPlan.Send) grouping).record().topic()).isEqualTo("norm");
    assertThat(
            ReplayPlan.of(
                letter(2, 1, "x", DeadLetters.STAGE, "Normalization", DeadLetters.TRUNCATED, "9"),
                "00000000000000aa",
                TOPICS,
                true,
                t -> 1))
        .isEqualTo(new ReplayPlan.Skip(new RecordPosition(0, 2), ReplayPlan.TRUNCATED));
    assertThat(
            ReplayPlan.of(
                letter(3, 1, "x", DeadLetters.STAGE, "Normalization", DeadLetters.DROPPED, "key"),
                "00000000000000aa",
                TOPICS,
                true,
                t -> 1))
        .isEqualTo(new ReplayPlan.Skip(new RecordPosition(0, 3), ReplayPlan.INCOMPLETE + "key"));
    assertThat(
            ReplayPlan.of(
                letter(4, 1, "x", DeadLetters.STAGE, "Normalization"),
                "00000000000000aa",
                TOPICS,
                false,
                t -> 1))
        .isEqualTo(new ReplayPlan.Skip(new RecordPosition(0, 4), ReplayPlan.EVENT_HUB_SOURCE));
  }

  @Test
  void anItemShowsTheOriginalPropertiesOnlyAndNamesTheReplayedDeadLetterById() {
    DeadLetterItem item =
        DeadLetterItem.of(
            letter(
                5,
                1,
                "body",
                "device-model",
                "X1",
                DeadLetters.ERROR,
                "E",
                DeadLetters.REPLAY_OF,
                "errs/0/3",
                DeadLetters.REPLAY_ID,
                "1"),
            "errs");
    assertThat(item.id()).isEqualTo("0-5");
    assertThat(item.properties()).isEqualTo(Map.of("device-model", "X1"));
    assertThat(item.replayOf()).isEqualTo("0-3");
    assertThat(item.error()).isEqualTo("E");
    assertThat(DeadLetterItem.replayOf("other/0/3", "errs")).isEqualTo("other/0/3");
    assertThat(MessageText.of(new byte[] {(byte) 0xff, 1}))
        .isEqualTo(new MessageText("/wE=", MessageText.BASE64));
  }
}
