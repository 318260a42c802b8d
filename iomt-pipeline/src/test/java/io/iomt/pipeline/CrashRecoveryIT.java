package io.iomt.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.fhir.FhirResources;
import io.iomt.fhir.auth.TokenProvider;
import io.iomt.fhir.http.FhirHttp;
import io.iomt.fhir.http.RetryPolicy;
import io.iomt.testkit.Await;
import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

/**
 * Crash: 10,000 messages from 50 devices; the process running the supervised connector (both stages
 * as {@link Connector#start} runs them in the service) is killed hard (SIGKILL) at three random
 * moments and restarted; afterwards the FHIR server holds exactly the expected Observations with
 * the expected values: none missing, none duplicated.
 */
class CrashRecoveryIT {
  static final int DEVICES = 50;
  static final int MESSAGES = 10_000;
  static final java.time.format.DateTimeFormatter ID_TIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmssSSS'Z'")
          .withZone(java.time.ZoneOffset.UTC);

  static Process startPipeline(
      String connector, PipelineIT.Topics t, Path log, String... membership) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                java,
                "-Xmx512m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                PipelineProcess.class.getName(),
                PipelineIT.bootstrap,
                PipelineIT.fhirServer.baseUrl(),
                connector,
                t.source(),
                t.normalized(),
                t.errors()));
    command.addAll(List.of(membership));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  static long lag(String group, String topic) {
    try (KafkaConsumer<byte[], byte[]> c = PipelineIT.consumer(group)) {
      List<TopicPartition> parts =
          c.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      var committed = c.committed(new java.util.HashSet<>(parts));
      long lag = 0;
      for (TopicPartition tp : parts) {
        var o = committed.get(tp);
        lag += end.get(tp) - (o == null ? 0 : o.offset());
      }
      return lag;
    }
  }

  private static long committedTotal(String group, String topic) {
    return PipelineIT.committed(group, topic);
  }

  /** Whether both stages committed everything: all messages normalized, no lag on either topic. */
  private static boolean done(String normalizeGroup, String groupGroup, PipelineIT.Topics t) {
    return lag(normalizeGroup, t.source()) == 0
        && lag(groupGroup, t.normalized()) == 0
        && committedTotal(normalizeGroup, t.source()) >= MESSAGES;
  }

  /** Every Observation of the run's devices, by identifier value, with its heart-rate value. */
  private static Map<String, String> observations(String runId) {
    FhirHttp http =
        new FhirHttp(
            URI.create(PipelineIT.fhirServer.baseUrl()),
            TokenProvider.none(),
            RetryPolicy.DEFAULT,
            d -> {},
            Duration.ofSeconds(60));
    Map<String, String> out = new HashMap<>();
    int duplicates = 0;
    for (int d = 0; d < DEVICES; d++) {
      String device = io.iomt.core.observation.ResourceIds.of("Device", null, runId + "-dev-" + d);
      String next = "Observation?device=Device/" + device + "&_count=50";
      while (next != null) {
        Bundle page = FhirResources.parse(http.get(next).body(), Bundle.class);
        for (Bundle.BundleEntryComponent e : page.getEntry()) {
          Observation o = (Observation) e.getResource();
          String previous =
              out.put(
                  o.getIdentifierFirstRep().getValue(),
                  o.getValueQuantity().getValue().toPlainString());
          if (previous != null) {
            duplicates++;
          }
        }
        // Paging links are absolute; FhirHttp resolves them against its base unchanged.
        next = page.getLink("next") == null ? null : page.getLink("next").getUrl();
      }
    }
    assertThat(duplicates).as("Observations with the same identifier").isZero();
    return out;
  }

  @org.junit.jupiter.api.BeforeAll
  static void start() throws Exception {
    PipelineIT.ensureStarted();
  }

  @Test
  void killingThePipelineThreeTimesLosesAndDuplicatesNothing() throws Exception {
    PipelineIT.Topics t = PipelineIT.topics();
    String runId = "crash" + UUID.randomUUID().toString().substring(0, 6);
    Map<String, Integer> expected = new HashMap<>();
    try (KafkaProducer<byte[], byte[]> p = PipelineIT.producer()) {
      for (int i = 0; i < MESSAGES; i++) {
        String device = runId + "-dev-" + (i % DEVICES);
        int value = 40 + (i * 7) % 120;
        Instant time = Instant.parse("2026-01-01T10:00:00Z").plusSeconds(i / DEVICES);
        String body =
            "{\"deviceId\":\""
                + device
                + "\",\"patientId\":\"p-"
                + device
                + "\",\"endDate\":\""
                + time
                + "\",\"heartRate\":"
                + value
                + "}";
        p.send(
            new ProducerRecord<>(
                t.source(),
                device.getBytes(StandardCharsets.UTF_8),
                body.getBytes(StandardCharsets.UTF_8)));
        String stamp = ID_TIME.format(time);
        expected.put(
            io.iomt.core.observation.ResourceIds.of("Patient", null, "p-" + device)
                + "."
                + io.iomt.core.observation.ResourceIds.of("Device", null, device)
                + ".heartrate."
                + stamp
                + "."
                + stamp,
            value);
      }
      p.flush();
    }
    Path log = Path.of("target", "crash-" + runId + ".log");
    File logFile = log.toFile();
    logFile.getParentFile().mkdirs();
    Random random = new Random();
    String normalizeGroup = Connector.groupId(runId, StageName.NORMALIZE);
    String groupGroup = Connector.groupId(runId, StageName.GROUP);
    int kills = 0;
    long previousProgress = -1;
    while (kills < 3) {
      Process pipeline = startPipeline(runId, t, log, "crash-replica", "10000");
      // Let it make some progress (or finish, if it is that fast), then kill it at a random
      // moment.
      long target = previousProgress + 1 + random.nextInt(1500);
      Await.atMost(Duration.ofSeconds(120))
          .every(Duration.ofMillis(200))
          .until(
              "progress beyond " + target + " committed records, or all done",
              () ->
                  committedTotal(groupGroup, t.normalized())
                              + committedTotal(normalizeGroup, t.source())
                          > target
                      || done(normalizeGroup, groupGroup, t),
              progressed -> progressed);
      Thread.sleep(random.nextInt(1500));
      pipeline.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      kills++;
      previousProgress =
          committedTotal(groupGroup, t.normalized()) + committedTotal(normalizeGroup, t.source());
    }
    Process last = startPipeline(runId, t, log, "crash-replica", "10000");
    try {
      Await.atMost(Duration.ofSeconds(300))
          .every(Duration.ofMillis(500))
          .until(
              "both stages done with all " + MESSAGES + " messages",
              () -> done(normalizeGroup, groupGroup, t),
              done -> done);
    } finally {
      last.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(lag(normalizeGroup, t.source())).isZero();
    assertThat(lag(groupGroup, t.normalized())).isZero();

    Map<String, String> stored = observations(runId);
    assertThat(stored).hasSize(MESSAGES);
    Map<String, String> expectedByIdentifier = new HashMap<>();
    expected.forEach(
        (identifier, value) -> expectedByIdentifier.put(identifier, Integer.toString(value)));
    assertThat(stored).isEqualTo(expectedByIdentifier);
    assertThat(PipelineIT.readAll(t.errors(), 1)).as("nothing was dead-lettered").isEmpty();
  }
}
