package io.iomt.pipeline.deadletter;

import io.iomt.core.error.ErrorStage;
import io.iomt.core.error.IomtException;

/**
 * The dead-letter destination did not accept dead letters. Blocking for the forwarding stage only:
 * it reports itself blocked under this error's name, commits nothing and tries again after a
 * backoff, while the connector's normalize and group stages carry on (dead letters wait in the
 * error topic). Counted under stage {@code Setup}: the cause is the destination's configuration or
 * availability, not the data. Messages name the destination, never a key or a token.
 */
public final class DeadLetterSinkException extends IomtException {
  private static final long serialVersionUID = 1L;

  /** Why the destination did not accept the dead letters; each has its stable error name. */
  public enum Reason {
    /** Credentials refused, expired, or without the right to send. */
    UNAUTHORIZED("DeadLetterSinkUnauthorizedException"),
    /** The destination (namespace, hub) does not exist or is disabled. */
    NOT_FOUND("DeadLetterSinkNotFoundException"),
    /** Unreachable, timing out or busy beyond the client's own retries. */
    UNAVAILABLE("DeadLetterSinkUnavailableException");

    private final String errorName;

    Reason(String errorName) {
      this.errorName = errorName;
    }

    public String errorName() {
      return errorName;
    }
  }

  private final Reason reason;

  public DeadLetterSinkException(Reason reason, String message, Throwable cause) {
    super(message, ErrorStage.SETUP, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  @Override
  public String errorName() {
    return reason.errorName();
  }

  @Override
  public boolean isBlocking() {
    return true;
  }
}
