package io.iomt.testkit.azure.eventhubs;

import java.time.Instant;

/** The outcome of checking a token: access to an audience until a time, or a refusal. */
sealed interface Authorization {

  /** Access to every entity under {@code audiencePath} (lower case, no scheme or host). */
  record Granted(String audiencePath, Instant expiresAt) implements Authorization {}

  /** Refused with this AMQP management status code (401, 404) and description. */
  record Refused(int statusCode, String description) implements Authorization {}
}
