package io.iomt.pipeline.deadletter;

import io.iomt.pipeline.Stage;
import io.iomt.pipeline.StageMetrics;
import io.iomt.pipeline.StageName;
import io.iomt.pipeline.StageStatus;
import io.iomt.pipeline.StatusHolder;
import io.iomt.pipeline.source.EventSource;
import io.iomt.pipeline.source.SourceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Forwards a connector's dead letters from its error topic (read through an {@link EventSource}, a
 * consumer group of its own) to a {@link DeadLetterSink}, and commits the error topic's offsets
 * only after the sink accepted them: at least once, in the error topic's order. The stage reports
 * itself running only once the sink opened (the destination is reachable and takes the
 * credentials), so a destination that stays down shows as blocked, not as flapping. When the sink
 * refuses ({@link DeadLetterSinkException}: unreachable, credentials refused) the stage counts the
 * error and ends with it, uncommitted; its supervisor reports it blocked and starts it again after
 * a backoff, and the new stage sends the same dead letters again. The connector's other stages
 * never wait for this one: dead letters are safe in the error topic meanwhile. The stage owns its
 * source and sink and closes both when {@link #run()} ends. Not thread-safe: one thread runs it;
 * {@link #close()} may be called from another.
 */
public final class DeadLetterForwardStage implements Stage {
  /** Whose dead letters, and how long one poll of the error topic waits. */
  public record Config(String connector, Duration pollTimeout) {}

  private final EventSource errors;
  private final DeadLetterSink sink;
  private final Config config;
  private final StageMetrics metrics;
  private final StatusHolder status;
  private volatile boolean running = true;

  public DeadLetterForwardStage(
      EventSource errors,
      DeadLetterSink sink,
      Config config,
      StageMetrics metrics,
      StatusHolder status) {
    this.errors = errors;
    this.sink = sink;
    this.config = config;
    this.metrics = metrics;
    this.status = status;
  }

  @Override
  public StageName name() {
    return StageName.FORWARD_ERRORS;
  }

  @Override
  public StageStatus status() {
    return status.get();
  }

  @Override
  public void run() {
    try {
      try {
        sink.open();
      } catch (DeadLetterSinkException e) {
        metrics.error(e);
        throw e;
      }
      errors.start();
      status.set(new StageStatus.Running());
      while (running) {
        runOnce();
      }
      status.set(new StageStatus.Stopped("closed"));
    } finally {
      try {
        errors.close();
      } finally {
        sink.close();
      }
    }
  }

  /** One poll: send what arrived, wait for the sink to accept it, commit. */
  public void runOnce() {
    List<SourceEvent> events = errors.poll(config.pollTimeout());
    if (events.isEmpty()) {
      return;
    }
    List<DeadLetter> letters = new ArrayList<>(events.size());
    for (SourceEvent event : events) {
      letters.add(DeadLetter.of(config.connector(), event));
    }
    try {
      sink.send(letters);
    } catch (DeadLetterSinkException e) {
      metrics.error(e);
      throw e;
    }
    errors.commit(events);
    metrics.deadLettersForwarded(letters.size());
  }

  @Override
  public void close() {
    running = false;
    errors.wakeup();
  }
}
