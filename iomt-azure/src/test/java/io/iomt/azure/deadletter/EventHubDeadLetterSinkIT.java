package io.iomt.azure.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.amqp.AmqpRetryOptions;
import io.iomt.azure.eventhubs.EventHubsSourceSettings;
import io.iomt.pipeline.deadletter.DeadLetter;
import io.iomt.pipeline.deadletter.DeadLetterSinkException;
import io.iomt.pipeline.source.SourceEvent;
import io.iomt.testkit.azure.eventhubs.EventHubsTestServer;
import io.iomt.testkit.azure.eventhubs.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dead-letter sink on the real SDK producer, against the AMQP Event Hubs test server. */
class EventHubDeadLetterSinkIT {
  private EventHubsTestServer hub;

  @BeforeEach
  void start() {
    hub =
        EventHubsTestServer.start(
            EventHubsTestServer.Options.create()
                .hub("dead-letters", 2)
                .sasKey("send", "c2VuZC1rZXktMDEyMzQ1Njc4OWFiY2RlZg=="));
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private EventHubDeadLetterSink sink() {
    return new EventHubDeadLetterSink(
        new EventHubDeadLetterSettings(
            null,
            null,
            new EventHubsSourceSettings.Auth.ConnectionString(
                () -> hub.connectionString("dead-letters"))),
        new AmqpRetryOptions().setMaxRetries(1).setTryTimeout(Duration.ofSeconds(5)));
  }

  private static DeadLetter letter(long offset, String key, String body, String error) {
    return new DeadLetter(
        "icu",
        "icu-errors",
        0,
        offset,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        body.getBytes(StandardCharsets.UTF_8),
        List.of(
            new SourceEvent.Property("iomt.error.name", bytes(error)),
            new SourceEvent.Property("iomt.error.stage", bytes("Normalization")),
            new SourceEvent.Property("iomt.error.message", bytes("Unable to read the message")),
            new SourceEvent.Property("iomt.source.topic", bytes("icu-events")),
            new SourceEvent.Property("iomt.source.partition", bytes("3")),
            new SourceEvent.Property("iomt.source.offset", bytes("41"))));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void deadLettersArriveInTheCustomersHubWithTheirBytesErrorAndPositions() {
    try (EventHubDeadLetterSink sink = sink()) {
      sink.open();
      sink.send(
          List.of(
              letter(7, "monitor-01", "{not json", "InvalidDataFormatException"),
              letter(8, "monitor-01", "{\"hr\":\"x\"}", "IncompatibleDataException"),
              letter(9, null, "[]", "InvalidDataFormatException")));
    }

    List<StoredEvent> stored = hub.events("dead-letters");
    assertThat(stored)
        .extracting(e -> e.event().bodyAsText())
        .containsExactlyInAnyOrder("{not json", "{\"hr\":\"x\"}", "[]");
    StoredEvent first =
        stored.stream().filter(e -> e.event().bodyAsText().equals("{not json")).findFirst().get();
    assertThat(first.event().applicationProperties())
        .containsEntry("iomt.error.name", "InvalidDataFormatException")
        .containsEntry("iomt.error.stage", "Normalization")
        .containsEntry("iomt.error.message", "Unable to read the message")
        .containsEntry("iomt.connector", "icu")
        .containsEntry("iomt.deadletter.topic", "icu-errors")
        .containsEntry("iomt.deadletter.offset", "7")
        .containsEntry("iomt.source.offset", "41");
    assertThat(first.event().partitionKey()).isEqualTo("monitor-01");
    StoredEvent second =
        stored.stream().filter(e -> e.event().bodyAsText().startsWith("{\"hr\"")).findFirst().get();
    assertThat(second.partitionId())
        .as("one device's dead letters share a partition")
        .isEqualTo(first.partitionId());
    assertThat(second.sequenceNumber()).isGreaterThan(first.sequenceNumber());
  }

  @Test
  void aRevokedKeyIsTheSinksBlockingUnauthorizedError() {
    try (EventHubDeadLetterSink sink = sink()) {
      hub.revokeKeys();
      assertThatThrownBy(
              () -> {
                sink.open();
                sink.send(List.of(letter(1, "k", "{}", "InvalidDataFormatException")));
              })
          .isInstanceOfSatisfying(
              DeadLetterSinkException.class,
              e -> assertThat(e.errorName()).isEqualTo("DeadLetterSinkUnauthorizedException"))
          .hasMessageContaining("dead-letters")
          .hasMessageNotContaining("c2VuZC1rZXkt");
    } finally {
      hub.restoreKeys();
    }
    assertThat(hub.events("dead-letters")).isEmpty();
  }
}
