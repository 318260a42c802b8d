package io.iomt.core.error;

/**
 * The message is readable but does not fit the mapping that matched it: a required value is missing
 * or blank, a single-value expression matched several tokens, or a JMESPath function cannot be
 * applied to the message's data.
 */
public final class IncompatibleDataException extends DataException {
  private static final long serialVersionUID = 1L;

  public IncompatibleDataException(String message) {
    this(message, (Throwable) null);
  }

  public IncompatibleDataException(String message, Throwable cause) {
    super(message, ErrorStage.NORMALIZATION, cause);
  }

  public IncompatibleDataException(String message, ErrorStage stage) {
    super(message, stage, null);
  }
}
