package io.iomt.core.error;

/**
 * A CorrelationId-grouped template received a measurement without a correlation id. Non-blocking.
 */
public final class CorrelationIdNotDefinedException extends DataException {
  private static final long serialVersionUID = 1L;

  public CorrelationIdNotDefinedException(String message) {
    super(message, ErrorStage.GROUPING, null);
  }
}
