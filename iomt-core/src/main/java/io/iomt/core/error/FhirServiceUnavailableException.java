package io.iomt.core.error;

/**
 * The FHIR server is unreachable or kept failing with 429/5xx/timeouts. Blocking, retried later.
 */
public final class FhirServiceUnavailableException extends FhirServiceException {
  private static final long serialVersionUID = 1L;

  public FhirServiceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
