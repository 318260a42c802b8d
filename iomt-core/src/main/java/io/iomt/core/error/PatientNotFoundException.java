package io.iomt.core.error;

/**
 * The Device has no linked Patient (Device.patient is empty). Non-blocking: the affected
 * measurements go to the error destination.
 */
public final class PatientNotFoundException extends DataException {
  private static final long serialVersionUID = 1L;

  public PatientNotFoundException(String message) {
    super(message, ErrorStage.FHIR_CONVERSION, null);
  }
}
