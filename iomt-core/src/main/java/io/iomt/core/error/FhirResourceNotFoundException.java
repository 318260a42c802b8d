package io.iomt.core.error;

/**
 * A FHIR resource the measurement refers to (e.g. its Encounter) does not exist. Non-blocking: the
 * affected measurements go to the error destination.
 */
public final class FhirResourceNotFoundException extends DataException {
  private static final long serialVersionUID = 1L;

  public FhirResourceNotFoundException(String message) {
    super(message, ErrorStage.FHIR_CONVERSION, null);
  }
}
