package io.iomt.pipeline;

import java.time.Clock;
import java.time.Duration;

/**
 * Both stages of one connector in a process of their own, so a test can kill it with SIGKILL and
 * start it again: {@code PipelineProcess <bootstrap> <fhirUrl> <source> <normalized> <errors>}.
 */
public final class PipelineProcess {
  private PipelineProcess() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String fhirUrl = args[1];
    PipelineIT.Topics t = new PipelineIT.Topics(args[2], args[3], args[4]);
    PipelineIT.bootstrap = bootstrap;
    PipelineIT.loadMappings();
    NormalizeStage normalize = PipelineIT.normalize(t);
    GroupStage group =
        PipelineIT.group(
            t, fhirUrl, Clock.systemUTC(), new FlushPolicy(500, Duration.ofMillis(500)));
    Thread normalizer = new Thread(() -> loop(normalize::runOnce), "normalize");
    normalizer.start();
    loop(group::runOnce);
  }

  private static void loop(Runnable once) {
    while (true) {
      once.run();
    }
  }
}
