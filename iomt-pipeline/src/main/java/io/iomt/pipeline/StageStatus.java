package io.iomt.pipeline;

import java.time.Instant;

/** What a stage is doing, for health endpoints and operators. */
public sealed interface StageStatus {
  record Running() implements StageStatus {}

  /** Paused by a blocking error (FHIR unavailable, credentials refused); retrying by itself. */
  record Blocked(String errorName, String message, Instant retryAt) implements StageStatus {}

  record Stopped(String reason) implements StageStatus {}
}
