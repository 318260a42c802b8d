package io.iomt.core.error;

/**
 * A Quantity value is not a single decimal: the group holds several values, or the value is not a
 * number. Non-blocking.
 */
public final class InvalidQuantityFhirValueException extends DataException {
  private static final long serialVersionUID = 1L;

  public InvalidQuantityFhirValueException(String message) {
    super(message, ErrorStage.FHIR_CONVERSION, null);
  }
}
