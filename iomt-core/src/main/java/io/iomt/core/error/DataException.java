package io.iomt.core.error;

/**
 * A problem with one message's data: non-blocking. The message is skipped, counted, and sent to the
 * error destination; everything else keeps flowing.
 */
public abstract class DataException extends IomtException {
  private static final long serialVersionUID = 1L;

  private ErrorOrigin origin;

  protected DataException(String message, ErrorStage stage, Throwable cause) {
    super(message, stage, cause);
  }

  @Override
  public final boolean isBlocking() {
    return false;
  }

  /** The template and expression that raised this error, when the engine knows it; else null. */
  public final ErrorOrigin origin() {
    return origin;
  }

  /**
   * Records where in the mapping this error was raised (the first origin given wins: the innermost
   * template knows best). Returns this exception, for {@code throw e.withOrigin(...)}.
   */
  public final DataException withOrigin(ErrorOrigin where) {
    if (origin == null) {
      origin = where;
    }
    return this;
  }
}
