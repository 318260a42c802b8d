package io.iomt.core.error;

/**
 * An identity the resolution type needs is missing from the measurement (a patient id for Create,
 * an encounter id for LookupWithEncounter). Non-blocking: the affected measurements go to the error
 * destination.
 */
public final class ResourceIdentityNotDefinedException extends DataException {
  private static final long serialVersionUID = 1L;

  public ResourceIdentityNotDefinedException(String message) {
    super(message, ErrorStage.FHIR_CONVERSION, null);
  }
}
