package io.iomt.core.error;

/**
 * The FHIR server rejected one Observation (4xx other than auth/conflict); its OperationOutcome is
 * in the message. Non-blocking: the affected measurements go to the error destination.
 */
public final class FhirResourceRejectedException extends DataException {
  private static final long serialVersionUID = 1L;

  public FhirResourceRejectedException(String message) {
    super(message, ErrorStage.FHIR_CONVERSION, null);
  }
}
