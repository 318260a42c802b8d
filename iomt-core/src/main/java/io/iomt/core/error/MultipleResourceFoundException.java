package io.iomt.core.error;

/**
 * Several FHIR resources match an identifier that must be unique. Non-blocking: the affected
 * measurements go to the error destination.
 */
public final class MultipleResourceFoundException extends DataException {
  private static final long serialVersionUID = 1L;

  public MultipleResourceFoundException(String message) {
    super(message, ErrorStage.FHIR_CONVERSION, null);
  }
}
