package io.iomt.core.error;

/**
 * The event source (an Event Hub, an IoT Hub's built-in endpoint) or the store of its checkpoints
 * cannot be used right now: credentials refused, the hub or consumer group missing, unreachable
 * beyond the client's own retries. Blocking: nothing is read past the last checkpoint, the stage
 * reports itself blocked with this error's name and tries again by itself, and resumes from the
 * checkpoint once the cause is fixed. Messages name the namespace, hub or container, never a key or
 * a token.
 */
public abstract class EventSourceException extends IomtException {
  private static final long serialVersionUID = 1L;

  protected EventSourceException(String message, Throwable cause) {
    super(message, ErrorStage.NORMALIZATION, cause);
  }

  @Override
  public final boolean isBlocking() {
    return true;
  }
}
