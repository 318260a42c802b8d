package io.iomt.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.core.envelope.MessageLimits;
import io.iomt.pipeline.deadletter.DeadLetter;
import io.iomt.pipeline.deadletter.DeadLetterSink;
import io.iomt.pipeline.deadletter.DeadLetterSinkException;
import io.iomt.pipeline.deadletter.InMemoryDeadLetterSink;
import io.iomt.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The forward-errors stage of a real {@link Connector} on a real KRaft broker: messages the device
 * mapping cannot read become dead letters in the error topic, and from there reach a sink (the
 * in-memory one, standing for a customer's Event Hub) with every header, while the forwarder's
 * consumer group commits only what the sink accepted. No FHIR server is needed: nothing here is a
 * measurement.
 */
class DeadLetterForwardingIT {
  private static final Duration WAIT = Duration.ofMinutes(2);

  @BeforeAll
  static void start() throws Exception {
    PipelineIT.ensureBroker();
  }

  private record Run(String name, PipelineIT.Topics topics) {}

  private static Run run() {
    return new Run("fwd-" + UUID.randomUUID().toString().substring(0, 8), PipelineIT.topics());
  }

  private static Connector start(Run r, Supplier<DeadLetterSink> sinks) {
    PipelineIT.Topics t = r.topics();
    return Connector.start(
        new Connector.Settings(
            r.name(),
            new Connector.Topics(t.source(), t.normalized(), t.errors()),
            2,
            PipelineIT.deviceMapping,
            PipelineIT.fhirMapping,
            MessageLimits.DEFAULTS,
            new FlushPolicy(1000, Duration.ofSeconds(2)),
            Duration.ofMillis(200),
            Duration.ofSeconds(1),
            Duration.ofSeconds(30)),
        new KafkaClients(Map.of("bootstrap.servers", PipelineIT.bootstrap)),
        null,
        // Never called: the messages below have no measurements.
        () -> PipelineIT.writer("http://127.0.0.1:9/fhir"),
        sinks,
        StageMetrics.NONE,
        Clock.systemUTC());
  }

  /** Sends {@code count} messages that are not JSON, keyed and with a device header. */
  private static void sendBadMessages(Run r, int count) throws Exception {
    try (KafkaProducer<byte[], byte[]> p = PipelineIT.producer()) {
      for (int i = 0; i < count; i++) {
        ProducerRecord<byte[], byte[]> record =
            new ProducerRecord<>(
                r.topics().source(),
                ("monitor-" + i).getBytes(StandardCharsets.UTF_8),
                ("not json " + i).getBytes(StandardCharsets.UTF_8));
        record.headers().add("x-device-model", "ACME-7".getBytes(StandardCharsets.UTF_8));
        p.send(record).get();
      }
    }
  }

  private static String forwardGroup(Run r) {
    return Connector.groupId(r.name(), StageName.FORWARD_ERRORS);
  }

  /** Records in the error topic (its end offset; one partition). */
  private static long errorTopicEnd(Run r) {
    try (KafkaConsumer<byte[], byte[]> c = PipelineIT.consumer("probe-" + UUID.randomUUID())) {
      return c.endOffsets(List.of(new TopicPartition(r.topics().errors(), 0)))
          .values()
          .iterator()
          .next();
    }
  }

  @Test
  void deadLettersReachTheSinkWithEveryHeaderAndTheirPositionsAndAreCommittedAfterAcceptance()
      throws Exception {
    Run r = run();
    InMemoryDeadLetterSink sink = new InMemoryDeadLetterSink();
    sendBadMessages(r, 3);
    try (Connector c = start(r, () -> sink)) {
      assertThat(c.stages())
          .containsExactly(StageName.NORMALIZE, StageName.GROUP, StageName.FORWARD_ERRORS);
      Await.atMost(WAIT)
          .untilSatisfies("dead letters forwarded", sink::accepted, a -> assertThat(a).hasSize(3));
      Await.atMost(WAIT)
          .untilSatisfies(
              "the forwarder's commits",
              () -> PipelineIT.committed(forwardGroup(r), r.topics().errors()),
              committed -> assertThat(committed).isEqualTo(3));
      assertThat(c.status(StageName.FORWARD_ERRORS)).isInstanceOf(StageStatus.Running.class);
    }

    Set<String> bodies = new HashSet<>();
    Set<String> sourceOffsets = new HashSet<>();
    for (DeadLetter d : sink.accepted()) {
      assertThat(d.connector()).isEqualTo(r.name());
      assertThat(d.errorTopic()).isEqualTo(r.topics().errors());
      assertThat(d.partition()).isZero();
      assertThat(d.errorName()).isEqualTo("InvalidDataFormatException");
      assertThat(d.header(DeadLetters.STAGE)).isEqualTo("Normalization");
      assertThat(d.header(DeadLetters.SEVERITY)).isEqualTo("NonBlocking");
      assertThat(d.header(DeadLetters.MESSAGE)).isNotBlank();
      assertThat(d.header(DeadLetters.SOURCE_TOPIC)).isEqualTo(r.topics().source());
      assertThat(d.header("x-device-model")).isEqualTo("ACME-7");
      String body = new String(d.body(), StandardCharsets.UTF_8);
      assertThat(d.keyText()).isEqualTo("monitor-" + body.substring("not json ".length()));
      bodies.add(body);
      sourceOffsets.add(
          d.header(DeadLetters.SOURCE_PARTITION) + "@" + d.header(DeadLetters.SOURCE_OFFSET));
    }
    assertThat(bodies).containsExactlyInAnyOrder("not json 0", "not json 1", "not json 2");
    assertThat(sourceOffsets).hasSize(3);
    assertThat(sink.accepted()).extracting(DeadLetter::offset).containsExactly(0L, 1L, 2L);
  }

  @Test
  void whileTheSinkRefusesTheForwarderIsBlockedCommitsNothingAndTheOtherStagesRunThenItCatchesUp()
      throws Exception {
    Run r = run();
    InMemoryDeadLetterSink sink = new InMemoryDeadLetterSink();
    sink.refuseNext(Integer.MAX_VALUE, DeadLetterSinkException.Reason.UNAUTHORIZED);
    try (Connector c = start(r, () -> sink)) {
      Await.atMost(WAIT)
          .untilSatisfies(
              "the forwarder's status",
              () -> c.status(StageName.FORWARD_ERRORS),
              s ->
                  assertThat(s)
                      .isInstanceOfSatisfying(
                          StageStatus.Blocked.class,
                          b ->
                              assertThat(b.errorName())
                                  .isEqualTo("DeadLetterSinkUnauthorizedException")));
      sendBadMessages(r, 4);
      Await.atMost(WAIT)
          .untilSatisfies(
              "dead letters in the error topic",
              () -> errorTopicEnd(r),
              end -> assertThat(end).isEqualTo(4));
      assertThat(c.status(StageName.NORMALIZE)).isInstanceOf(StageStatus.Running.class);
      assertThat(c.status(StageName.GROUP)).isInstanceOf(StageStatus.Running.class);
      assertThat(PipelineIT.committed(forwardGroup(r), r.topics().errors())).isZero();
      assertThat(sink.accepted()).isEmpty();

      sink.refuseNext(0, DeadLetterSinkException.Reason.UNAUTHORIZED); // access granted again
      Await.atMost(WAIT)
          .untilSatisfies(
              "the forwarder's commits",
              () -> PipelineIT.committed(forwardGroup(r), r.topics().errors()),
              committed -> assertThat(committed).isEqualTo(4));
      assertThat(sink.accepted()).extracting(DeadLetter::offset).containsExactly(0L, 1L, 2L, 3L);
      assertThat(c.status(StageName.FORWARD_ERRORS)).isInstanceOf(StageStatus.Running.class);
    }
  }

  @Test
  void aRestartedConnectorForwardsWhatTheStoppedOneHadNotCommittedAndNothingElse()
      throws Exception {
    Run r = run();
    InMemoryDeadLetterSink down = new InMemoryDeadLetterSink();
    down.refuseNext(Integer.MAX_VALUE, DeadLetterSinkException.Reason.UNAVAILABLE);
    sendBadMessages(r, 2);
    try (Connector c = start(r, () -> down)) {
      assertThat(c.stages()).contains(StageName.FORWARD_ERRORS);
      Await.atMost(WAIT)
          .untilSatisfies(
              "dead letters in the error topic",
              () -> errorTopicEnd(r),
              end -> assertThat(end).isEqualTo(2));
    }
    assertThat(PipelineIT.committed(forwardGroup(r), r.topics().errors())).isZero();

    InMemoryDeadLetterSink up = new InMemoryDeadLetterSink();
    try (Connector c = start(r, () -> up)) {
      assertThat(c.stages()).contains(StageName.FORWARD_ERRORS);
      Await.atMost(WAIT)
          .untilSatisfies(
              "the forwarder's commits",
              () -> PipelineIT.committed(forwardGroup(r), r.topics().errors()),
              committed -> assertThat(committed).isEqualTo(2));
    }
    assertThat(up.accepted()).extracting(DeadLetter::offset).containsExactly(0L, 1L);

    InMemoryDeadLetterSink again = new InMemoryDeadLetterSink();
    sendBadMessages(r, 1);
    try (Connector c = start(r, () -> again)) {
      assertThat(c.stages()).contains(StageName.FORWARD_ERRORS);
      Await.atMost(WAIT)
          .untilSatisfies(
              "the forwarder's commits",
              () -> PipelineIT.committed(forwardGroup(r), r.topics().errors()),
              committed -> assertThat(committed).isEqualTo(3));
    }
    assertThat(again.accepted()).extracting(DeadLetter::offset).containsExactly(2L);
  }

  @Test
  void aConnectorWithoutASinkRunsNoForwarder() throws Exception {
    Run r = run();
    try (Connector c = start(r, null)) {
      assertThat(c.stages()).containsExactly(StageName.NORMALIZE, StageName.GROUP);
      assertThat(c.status(StageName.FORWARD_ERRORS))
          .isEqualTo(new StageStatus.Stopped("not configured"));
    }
  }
}
