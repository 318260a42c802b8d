package io.iomt.core.error;

/**
 * The FHIR server cannot be used right now: unreachable, timing out, answering 429/5xx after every
 * retry, or refusing the connector's credentials. Blocking: nothing is committed, processing pauses
 * and resumes when the server is back or the credentials are fixed.
 */
public abstract class FhirServiceException extends IomtException {
  private static final long serialVersionUID = 1L;

  protected FhirServiceException(String message, Throwable cause) {
    super(message, ErrorStage.FHIR_CONVERSION, cause);
  }

  @Override
  public final boolean isBlocking() {
    return true;
  }
}
