package io.iomt.core.error;

/**
 * Root of the connector's unchecked exception hierarchy.
 *
 * <p>Every error carries a stable {@link #errorName() name} (MedTech's exception names, kept so
 * that dashboards and alerts written for MedTech keep working), the {@link #stage() stage} that
 * raised it, and whether it is {@link #isBlocking() blocking}: a blocking error stops processing
 * until it is fixed (data is kept); a non-blocking error skips the message, which is counted and
 * sent to the error destination.
 */
public abstract class IomtException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorStage stage;

  protected IomtException(String message, ErrorStage stage, Throwable cause) {
    super(message, cause);
    this.stage = stage;
  }

  /** The stable error name, e.g. {@code IncompatibleDataException}. */
  public String errorName() {
    return getClass().getSimpleName();
  }

  public ErrorStage stage() {
    return stage;
  }

  /**
   * True when processing must stop until the cause is fixed; false when only this data is skipped.
   */
  public abstract boolean isBlocking();

  /** "Error" or "Warning", the severity MedTech reports. */
  public String severity() {
    return "Error";
  }

  @Override
  public String toString() {
    return errorName() + ": " + getMessage();
  }
}
