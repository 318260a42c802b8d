package io.iomt.core.error;

/** The FHIR server refused the connector's credentials (401/403). Blocking until fixed. */
public final class UnauthorizedAccessFhirServiceException extends FhirServiceException {
  private static final long serialVersionUID = 1L;

  public UnauthorizedAccessFhirServiceException(String message) {
    super(message, null);
  }
}
