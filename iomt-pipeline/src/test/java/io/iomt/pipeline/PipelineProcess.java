package io.iomt.pipeline;

import io.iomt.core.envelope.MessageLimits;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One connector, supervised as the service runs it ({@link Connector#start}), in a process of its
 * own, so a test can kill it with SIGKILL and start it again: {@code PipelineProcess <bootstrap>
 * <fhirUrl> <connector> <source> <normalized> <errors> [<instance id> <session timeout ms>]}.
 */
public final class PipelineProcess {
  private PipelineProcess() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String fhirUrl = args[1];
    String name = args[2];
    PipelineIT.Topics t = new PipelineIT.Topics(args[3], args[4], args[5]);
    PipelineIT.bootstrap = bootstrap;
    PipelineIT.loadMappings();
    Connector.start(
        new Connector.Settings(
            name,
            new Connector.Topics(t.source(), t.normalized(), t.errors()),
            2,
            PipelineIT.deviceMapping,
            PipelineIT.fhirMapping,
            MessageLimits.DEFAULTS,
            new FlushPolicy(500, Duration.ofMillis(500)),
            Duration.ofMillis(200),
            Duration.ofSeconds(1),
            Duration.ofSeconds(5)),
        clients(bootstrap, args),
        () -> PipelineIT.writer(fhirUrl),
        StageMetrics.NONE,
        Clock.systemUTC());
    new CountDownLatch(1).await(); // Runs until killed.
  }

  private static KafkaClients clients(String bootstrap, String[] args) {
    if (args.length < 8) {
      return new KafkaClients(Map.of("bootstrap.servers", bootstrap));
    }
    return new KafkaClients(Map.of("bootstrap.servers", bootstrap, "session.timeout.ms", args[7]))
        .withInstanceId(args[6]);
  }
}
