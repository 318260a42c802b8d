package io.iomt.core.error;

/**
 * The event hub refused the connector's credentials: a wrong, revoked or expired SAS key, a token
 * for another audience, or an identity without the "Azure Event Hubs Data Receiver" role (for IoT
 * Hub's built-in endpoint: a shared access policy without the "service connect" permission).
 */
public final class UnauthorizedAccessEventHubException extends EventSourceException {
  private static final long serialVersionUID = 1L;

  public UnauthorizedAccessEventHubException(String message, Throwable cause) {
    super(message, cause);
  }
}
