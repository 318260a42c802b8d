package io.iomt.core.error;

/**
 * A problem with one message's data: non-blocking. The message is skipped, counted, and sent to the
 * error destination; everything else keeps flowing.
 */
public abstract class DataException extends IomtException {
  private static final long serialVersionUID = 1L;

  protected DataException(String message, ErrorStage stage, Throwable cause) {
    super(message, stage, cause);
  }

  @Override
  public final boolean isBlocking() {
    return false;
  }
}
