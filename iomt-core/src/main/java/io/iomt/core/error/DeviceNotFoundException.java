package io.iomt.core.error;

/**
 * No Device with the measurement's device identifier exists on the FHIR server (Lookup identity
 * resolution). Non-blocking: the affected measurements go to the error destination.
 */
public final class DeviceNotFoundException extends DataException {
  private static final long serialVersionUID = 1L;

  public DeviceNotFoundException(String message) {
    super(message, ErrorStage.FHIR_CONVERSION, null);
  }
}
