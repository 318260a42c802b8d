package io.iomt.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.testkit.Await;
import io.iomt.testkit.FhirObservations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A replica killed with SIGKILL and restarted with the same instance id (the service keeps it in
 * its data directory) takes its partitions back at once: it does not wait for its old member's
 * session to expire, which is set to a minute here so that the difference cannot be missed.
 */
class RestartResumeIT {
  private static final Duration OLD_SESSION = Duration.ofSeconds(60);

  @BeforeAll
  static void start() throws Exception {
    PipelineIT.ensureStarted();
  }

  private static void send(PipelineIT.Topics t, String run, int from, int count) throws Exception {
    List<String> bodies = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      bodies.add(PipelineIT.heartRate(run + "-" + (i % 10), "p-" + run, i / 10, 60 + i % 50));
    }
    PipelineIT.send(t.source(), bodies.toArray(String[]::new));
  }

  /** Waits until both stages committed {@code messages} source records and have no lag. */
  private static void awaitDone(String connector, PipelineIT.Topics t, int messages) {
    String normalize = Connector.groupId(connector, StageName.NORMALIZE);
    String group = Connector.groupId(connector, StageName.GROUP);
    Await.until(
        "both stages done with " + messages + " messages",
        () ->
            PipelineIT.committed(normalize, t.source()) >= messages
                && CrashRecoveryIT.lag(group, t.normalized()) == 0,
        done -> done,
        Duration.ofMinutes(4));
    assertThat(PipelineIT.committed(normalize, t.source())).isEqualTo(messages);
    assertThat(CrashRecoveryIT.lag(group, t.normalized())).isZero();
  }

  @Test
  void aKilledReplicaRestartedWithItsInstanceIdResumesWithoutWaitingForItsOldSession()
      throws Exception {
    PipelineIT.Topics t = PipelineIT.topics();
    String run = "resume" + UUID.randomUUID().toString().substring(0, 6);
    Path log = Path.of("target", "resume-" + run + ".log");
    log.toFile().getParentFile().mkdirs();
    String[] membership = {"replica-" + run, Long.toString(OLD_SESSION.toMillis())};

    send(t, run, 0, 100);
    Process first = CrashRecoveryIT.startPipeline(run, t, log, membership);
    try {
      awaitDone(run, t, 100);
    } finally {
      first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    send(t, run, 100, 100);
    long restarted = System.nanoTime();
    Process second = CrashRecoveryIT.startPipeline(run, t, log, membership);
    try {
      awaitDone(run, t, 200);
    } finally {
      second.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    Duration resumed = Duration.ofNanos(System.nanoTime() - restarted);
    System.out.printf(
        "RestartResumeIT: the restarted replica had processed everything %d ms after its start"
            + " (JVM start included)%n",
        resumed.toMillis());
    assertThat(resumed)
        .as("resumed before the killed member's session (%s) could have expired", OLD_SESSION)
        .isLessThan(OLD_SESSION);
    for (int device = 0; device < 10; device++) {
      assertThat(
              FhirObservations.countOfDevice(PipelineIT.fhirServer.baseUrl(), run + "-" + device))
          .isEqualTo(20);
    }
  }
}
