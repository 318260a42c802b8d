package io.iomt.core.error;

/**
 * The Blob container that holds the event source's checkpoints and partition ownership refused the
 * connector (an identity without "Storage Blob Data Contributor", a wrong account key), does not
 * exist, or cannot be reached. Without it no partition can be owned and no progress recorded.
 */
public final class CheckpointStoreUnavailableException extends EventSourceException {
  private static final long serialVersionUID = 1L;

  public CheckpointStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
