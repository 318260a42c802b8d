package io.iomt.azure.eventhubs;

import com.azure.core.amqp.exception.AmqpErrorCondition;
import com.azure.core.amqp.exception.AmqpException;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.storage.blob.models.BlobStorageException;
import io.iomt.core.error.CheckpointStoreUnavailableException;
import io.iomt.core.error.EventHubNotFoundException;
import io.iomt.core.error.EventSourceException;
import io.iomt.core.error.UnauthorizedAccessEventHubException;

/**
 * Sorts what the Event Hubs and Blob clients report into the blocking errors users see and the
 * transient ones the clients retry themselves. Messages name the hub or the container and the
 * service's reason, never a key or a token (the SDKs' messages carry neither). Stateless.
 */
final class EventHubsErrors {
  private EventHubsErrors() {}

  /**
   * The blocking error {@code failure} stands for, or null when it is transient (connection lost,
   * timeout, a partition taken over by another replica) and the client's retries take care of it.
   *
   * @param hub how to name the hub in messages, e.g. {@code
   *     contoso.servicebus.windows.net/telemetry}
   * @param container how to name the checkpoint container in messages
   */
  static EventSourceException blocking(Throwable failure, String hub, String container) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof AmqpException amqp && amqp.getErrorCondition() != null) {
        AmqpErrorCondition condition = amqp.getErrorCondition();
        if (condition == AmqpErrorCondition.UNAUTHORIZED_ACCESS) {
          return new UnauthorizedAccessEventHubException(
              "The event hub " + hub + " refused the connector's credentials: " + reason(amqp),
              failure);
        }
        if (condition == AmqpErrorCondition.NOT_FOUND
            || condition == AmqpErrorCondition.ENTITY_DISABLED_ERROR) {
          return new EventHubNotFoundException(
              "The event hub " + hub + " or its consumer group was not found: " + reason(amqp),
              failure);
        }
      }
      if (t instanceof BlobStorageException blob) {
        int status = blob.getStatusCode();
        if (status == 401 || status == 403) {
          return new CheckpointStoreUnavailableException(
              "The checkpoint container "
                  + container
                  + " refused the connector (HTTP "
                  + status
                  + " "
                  + blob.getErrorCode()
                  + "): does its identity have Storage Blob Data Contributor on it?",
              failure);
        }
        if (status == 404) {
          return new CheckpointStoreUnavailableException(
              "The checkpoint container "
                  + container
                  + " does not exist ("
                  + blob.getErrorCode()
                  + ")",
              failure);
        }
      }
      if (t instanceof ClientAuthenticationException auth) {
        return new UnauthorizedAccessEventHubException(
            "No token for the event hub " + hub + ": " + firstLine(auth.getMessage()), failure);
      }
      if (t instanceof HttpResponseException http
          && http.getResponse() != null
          && (http.getResponse().getStatusCode() == 401
              || http.getResponse().getStatusCode() == 403)) {
        return new CheckpointStoreUnavailableException(
            "The checkpoint container "
                + container
                + " refused the connector (HTTP "
                + http.getResponse().getStatusCode()
                + ")",
            failure);
      }
    }
    return null;
  }

  private static String reason(AmqpException e) {
    return e.getErrorCondition().getErrorCondition() + " " + firstLine(e.getMessage());
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int eol = message.indexOf('\n');
    return eol < 0 ? message : message.substring(0, eol);
  }
}
