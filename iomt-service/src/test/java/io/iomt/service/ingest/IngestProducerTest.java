package io.iomt.service.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class IngestProducerTest {
  /** A producer whose n-th record gets a scripted outcome: acknowledged, failed, or no answer. */
  static final class ScriptedProducer extends MockProducer<byte[], byte[]> {
    final Map<Integer, RuntimeException> failures;
    final int neverAnswered;
    final List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();

    ScriptedProducer(Map<Integer, RuntimeException> failures, int neverAnswered) {
      super(true, new ByteArraySerializer(), new ByteArraySerializer());
      this.failures = failures;
      this.neverAnswered = neverAnswered;
    }

    @Override
    public synchronized Future<RecordMetadata> send(
        ProducerRecord<byte[], byte[]> record, Callback callback) {
      int n = sent.size();
      sent.add(record);
      CompletableFuture<RecordMetadata> f = new CompletableFuture<>();
      if (failures.containsKey(n)) {
        f.completeExceptionally(failures.get(n));
      } else if (n != neverAnswered) {
        f.complete(new RecordMetadata(new TopicPartition(record.topic(), 0), n, 0, 0, 0, 0));
      }
      return f;
    }
  }

  private static List<DeviceMessage> messages(int n) {
    List<DeviceMessage> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new DeviceMessage(
              i,
              ("{\"deviceId\":\"d" + i + "\"}").getBytes(StandardCharsets.UTF_8),
              ("d" + i).getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  @Test
  void everyMessageIsSentAsItsOwnBytesWithItsKeyAndAcknowledged() {
    ScriptedProducer kafka = new ScriptedProducer(Map.of(), -1);
    new IngestProducer(kafka, 10_000, Duration.ofSeconds(5)).send("t", messages(3));

    assertThat(kafka.sent)
        .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
        .containsExactly("{\"deviceId\":\"d0\"}", "{\"deviceId\":\"d1\"}", "{\"deviceId\":\"d2\"}");
    assertThat(kafka.sent)
        .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
        .containsExactly("d0", "d1", "d2");
  }

  @Test
  void aRecordTheBrokerRefusesAsTooLargeIs413AndTheOthersAcknowledgedAreListed() {
    ScriptedProducer kafka =
        new ScriptedProducer(Map.of(1, new RecordTooLargeException("too big for the topic")), -1);
    assertThatThrownBy(
            () -> new IngestProducer(kafka, 10_000, Duration.ofSeconds(5)).send("t", messages(4)))
        .isInstanceOfSatisfying(
            IngestRefusal.class,
            r -> {
              assertThat(r.code).isEqualTo(RefusalCode.RECORD_TOO_LARGE);
              assertThat(r.code.status).isEqualTo(413);
              assertThat(r.acceptedMessages).containsExactly(0, 2, 3);
              assertThat(r.getMessage())
                  .startsWith(
                      "Message 1 of the array (17 bytes, key 2 bytes) is too large for the broker (too big for the topic)")
                  .endsWith("3 of 4 messages were acknowledged (acceptedMessages: 0, 2-3).");
            });
  }

  @Test
  void aRecordOverTheProducersLimitIsRefusedBeforeAnythingIsSent() {
    ScriptedProducer kafka = new ScriptedProducer(Map.of(), -1);
    long justTooSmall = RecordSize.of(messages(3).get(2)) - 1;
    assertThatThrownBy(
            () ->
                new IngestProducer(kafka, justTooSmall, Duration.ofSeconds(5))
                    .send("t", messages(3)))
        .isInstanceOfSatisfying(
            IngestRefusal.class,
            r -> {
              assertThat(r.code).isEqualTo(RefusalCode.RECORD_TOO_LARGE);
              assertThat(r.acceptedMessages).isEmpty();
              assertThat(r.getMessage()).endsWith("Nothing was acknowledged.");
            });
    assertThat(kafka.sent).isEmpty();
  }

  @Test
  void refusedCredentialsAre503WithoutTheSecret() {
    ScriptedProducer kafka =
        new ScriptedProducer(
            Map.of(0, new SaslAuthenticationException("Invalid SASL credentials")), -1);
    assertThatThrownBy(
            () -> new IngestProducer(kafka, 10_000, Duration.ofSeconds(5)).send("t", messages(1)))
        .isInstanceOfSatisfying(
            IngestRefusal.class,
            r -> {
              assertThat(r.code).isEqualTo(RefusalCode.EVENT_SOURCE_UNAUTHORIZED);
              assertThat(r.getMessage())
                  .isEqualTo(
                      "The broker refused the service's credentials (Invalid SASL credentials);"
                          + " check iomt.kafka settings. Nothing was acknowledged.");
            });
  }

  @Test
  void noAcknowledgementInTimeIs503SayingWhatWasAcknowledged() {
    ScriptedProducer kafka = new ScriptedProducer(Map.of(), 1);
    assertThatThrownBy(
            () -> new IngestProducer(kafka, 10_000, Duration.ofMillis(50)).send("t", messages(2)))
        .isInstanceOfSatisfying(
            IngestRefusal.class,
            r -> {
              assertThat(r.code).isEqualTo(RefusalCode.BROKER_UNAVAILABLE);
              assertThat(r.acceptedMessages).containsExactly(0);
              assertThat(r.getMessage())
                  .startsWith(
                      "The broker did not accept the messages (no acknowledgement within 50 ms);")
                  .contains("1 of 2 messages were acknowledged (acceptedMessages: 0).");
            });
  }

  @Test
  void theLargestRecordOfAMessageLimitCountsTheKeyAndKafkasOverhead() {
    DeviceMessage worst = new DeviceMessage(0, new byte[1024], new byte[1024]);
    assertThat(RecordSize.of(worst)).isEqualTo(RecordSize.forMessageLimit(1024));
    assertThat(RecordSize.forMessageLimit(1024 * 1024)).isEqualTo(2 * 1024 * 1024 + 61 + 21);
    assertThat(RecordSize.forMessageLimit(Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
  }
}
