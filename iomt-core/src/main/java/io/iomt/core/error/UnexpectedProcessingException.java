package io.iomt.core.error;

/**
 * Processing one message or group failed in a way no other error describes: a defect of the
 * connector, or data that a changed mapping cannot handle (e.g. a value written as a Quantity that
 * the edited FHIR mapping now reads as a CodeableConcept). Non-blocking on purpose: the message is
 * dead-lettered with the cause's type and message, so one bad message cannot stall its partition in
 * a restart-and-replay loop; the error metric and the dead letter make it visible.
 */
public final class UnexpectedProcessingException extends DataException {
  private static final long serialVersionUID = 1L;

  public UnexpectedProcessingException(ErrorStage stage, Throwable cause) {
    super(describe(cause), stage, cause);
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return "Processing failed unexpectedly: "
        + cause.getClass().getName()
        + (message == null ? "" : ": " + message);
  }
}
