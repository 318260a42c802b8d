package io.iomt.core.error;

/** The namespace, the event hub or its consumer group does not exist. */
public final class EventHubNotFoundException extends EventSourceException {
  private static final long serialVersionUID = 1L;

  public EventHubNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
