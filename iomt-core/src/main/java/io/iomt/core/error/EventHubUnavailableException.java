package io.iomt.core.error;

/**
 * The event hub could not be reached, or kept failing, for longer than the connector waits before
 * calling it an outage (the SDK retries each operation itself first).
 */
public final class EventHubUnavailableException extends EventSourceException {
  private static final long serialVersionUID = 1L;

  public EventHubUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
