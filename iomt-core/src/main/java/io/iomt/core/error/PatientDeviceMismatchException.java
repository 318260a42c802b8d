package io.iomt.core.error;

/**
 * The Device is already linked to a different Patient than the measurement names (Create identity
 * resolution). Non-blocking: the affected measurements go to the error destination.
 */
public final class PatientDeviceMismatchException extends DataException {
  private static final long serialVersionUID = 1L;

  public PatientDeviceMismatchException(String message) {
    super(message, ErrorStage.FHIR_CONVERSION, null);
  }
}
