package io.iomt.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.core.error.UnauthorizedAccessEventHubException;
import io.iomt.core.retry.Backoff;
import io.iomt.testkit.Await;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StageSupervisorTest {
  /** A stage that throws what it is given from run(), or runs until closed. */
  static final class ScriptedStage implements Stage {
    private final Throwable failure;
    private final StatusHolder status;
    private final CountDownLatch closed = new CountDownLatch(1);

    ScriptedStage(Throwable failure, StatusHolder status) {
      this.failure = failure;
      this.status = status;
    }

    @Override
    public StageName name() {
      return StageName.GROUP;
    }

    @Override
    public StageStatus status() {
      return status.get();
    }

    @Override
    public void run() {
      status.set(new StageStatus.Running());
      if (failure instanceof Error e) {
        throw e;
      }
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      try {
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      closed.countDown();
    }
  }

  private static void awaitStatus(StageSupervisor s, Class<? extends StageStatus> state) {
    Await.atMost(Duration.ofSeconds(10))
        .every(Duration.ofMillis(10))
        .untilSatisfies(
            "the supervisor's status", s::status, status -> assertThat(status).isInstanceOf(state));
  }

  @Test
  void anErrorInTheStageThreadIsReportedAsFailedAndTheStageIsStartedAgain() throws Exception {
    List<Throwable> script = new ArrayList<>(List.of(new NoClassDefFoundError("com/example/Gone")));
    AtomicInteger created = new AtomicInteger();
    CountDownLatch restartAllowed = new CountDownLatch(1);
    StageSupervisor supervisor =
        new StageSupervisor(
            "iomt-test-group",
            status -> {
              if (created.incrementAndGet() == 2) {
                try {
                  restartAllowed.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return new ScriptedStage(script.isEmpty() ? null : script.remove(0), status);
            },
            new Backoff(
                Duration.ofMillis(1), Duration.ofMillis(5), PipelineIT.LONGEST, Clock.systemUTC()),
            Clock.systemUTC());
    supervisor.start();
    try {
      awaitStatus(supervisor, StageStatus.Failed.class);
      StageStatus.Failed failed = (StageStatus.Failed) supervisor.status();
      assertThat(failed.errorName()).isEqualTo("NoClassDefFoundError");
      assertThat(failed.message()).isEqualTo("com/example/Gone");
      assertThat(failed.retryAt()).isNotNull();

      restartAllowed.countDown();
      awaitStatus(supervisor, StageStatus.Running.class);
      assertThat(created).hasValue(2);
    } finally {
      restartAllowed.countDown();
      supervisor.close();
      supervisor.join();
    }
    assertThat(supervisor.status()).isEqualTo(new StageStatus.Stopped("closed"));
  }

  @Test
  void aBlockingErrorOfTheSourceIsReportedAsBlockedWithItsNameAndTheStageIsTriedAgain()
      throws Exception {
    AtomicInteger created = new AtomicInteger();
    CountDownLatch retryAllowed = new CountDownLatch(1);
    StageSupervisor supervisor =
        new StageSupervisor(
            "iomt-test-normalize",
            status -> {
              if (created.incrementAndGet() == 2) {
                try {
                  retryAllowed.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return new ScriptedStage(
                  created.get() == 1
                      ? new UnauthorizedAccessEventHubException(
                          "The event hub ns/hub refused the connector's credentials", null)
                      : null,
                  status);
            },
            new Backoff(
                Duration.ofMillis(1), Duration.ofMillis(5), PipelineIT.LONGEST, Clock.systemUTC()),
            Clock.systemUTC());
    supervisor.start();
    try {
      awaitStatus(supervisor, StageStatus.Blocked.class);
      StageStatus.Blocked blocked = (StageStatus.Blocked) supervisor.status();
      assertThat(blocked.errorName()).isEqualTo("UnauthorizedAccessEventHubException");
      assertThat(blocked.message())
          .isEqualTo("The event hub ns/hub refused the connector's credentials");
      assertThat(blocked.retryAt()).isNotNull();

      retryAllowed.countDown();
      awaitStatus(supervisor, StageStatus.Running.class);
    } finally {
      retryAllowed.countDown();
      supervisor.close();
      supervisor.join();
    }
  }

  @Test
  void aStageThatKeepsFailingIsRestartedEachTimeWithTheSameFailedStatus() throws Exception {
    AtomicInteger created = new AtomicInteger();
    StageSupervisor supervisor =
        new StageSupervisor(
            "iomt-test-normalize",
            status -> {
              int n = created.incrementAndGet();
              return new ScriptedStage(
                  n <= 3 ? new IllegalStateException("broker refused attempt " + n) : null, status);
            },
            new Backoff(
                Duration.ofMillis(1), Duration.ofMillis(2), PipelineIT.LONGEST, Clock.systemUTC()),
            Clock.systemUTC());
    supervisor.start();
    try {
      Await.atMost(Duration.ofSeconds(10))
          .every(Duration.ofMillis(10))
          .until("stages created", created::get, n -> n >= 4);
      awaitStatus(supervisor, StageStatus.Running.class);
      assertThat(created).hasValue(4);
    } finally {
      supervisor.close();
      supervisor.join();
    }
  }
}
