package io.iomt.core.error;

/**
 * The Device has no linked Patient, or the linked Patient does not exist. Non-blocking: the
 * affected measurements go to the error destination.
 */
public final class PatientNotFoundException extends DataException {
  private static final long serialVersionUID = 1L;

  public PatientNotFoundException(String message) {
    super(message, ErrorStage.FHIR_CONVERSION, null);
  }
}
