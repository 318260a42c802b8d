package io.iomt.pipeline;

import java.time.Instant;

/**
 * What a stage is doing, for health endpoints, metrics and operators. A stage starts {@link
 * Starting}, becomes {@link Running} once its clients are up, {@link Blocked} while a blocking
 * error (FHIR unavailable, credentials refused) holds it back and it retries by itself, {@link
 * Failed} when its thread died of an unexpected error and the supervisor restarts it at {@code
 * retryAt}, and {@link Stopped} once closed.
 */
public sealed interface StageStatus {
  /** The short lowercase name health and metrics show: starting, running, blocked, ... */
  String state();

  record Starting() implements StageStatus {
    @Override
    public String state() {
      return "starting";
    }
  }

  record Running() implements StageStatus {
    @Override
    public String state() {
      return "running";
    }
  }

  /** Paused by a blocking error (FHIR unavailable, credentials refused); retrying by itself. */
  record Blocked(String errorName, String message, Instant retryAt) implements StageStatus {
    @Override
    public String state() {
      return "blocked";
    }
  }

  /**
   * The stage's thread ended with an unexpected error (any {@link Throwable}); the supervisor
   * starts it again with new clients at {@code retryAt}, replaying what was not committed.
   */
  record Failed(String errorName, String message, Instant retryAt) implements StageStatus {
    @Override
    public String state() {
      return "failed";
    }
  }

  record Stopped(String reason) implements StageStatus {
    @Override
    public String state() {
      return "stopped";
    }
  }
}
