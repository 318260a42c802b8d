package io.iomt.core.error;

/**
 * The message is not in a format the connector can read: a body that is not JSON, invalid UTF-8, a
 * message over the size or nesting limits, or a timestamp that cannot be parsed.
 */
public final class InvalidDataFormatException extends DataException {
  private static final long serialVersionUID = 1L;

  public InvalidDataFormatException(String message) {
    this(message, (Throwable) null);
  }

  public InvalidDataFormatException(String message, Throwable cause) {
    super(message, ErrorStage.NORMALIZATION, cause);
  }

  public InvalidDataFormatException(String message, ErrorStage stage) {
    super(message, stage, null);
  }
}
