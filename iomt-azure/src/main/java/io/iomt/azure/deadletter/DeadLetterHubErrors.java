package io.iomt.azure.deadletter;

import com.azure.core.amqp.exception.AmqpErrorCondition;
import com.azure.core.amqp.exception.AmqpException;
import com.azure.core.exception.ClientAuthenticationException;
import io.iomt.pipeline.deadletter.DeadLetterSinkException;
import io.iomt.pipeline.deadletter.DeadLetterSinkException.Reason;

/**
 * Names what the Event Hubs producer reported as the dead-letter sink's blocking error: refused
 * credentials, a missing or disabled hub, or anything else (unreachable, timeouts, busy) after the
 * client's own retries. Messages name the hub and the service's reason, never a key or a token.
 * Stateless.
 */
final class DeadLetterHubErrors {
  private DeadLetterHubErrors() {}

  /**
   * @param hub how to name the hub, e.g. {@code contoso.servicebus.windows.net/dead-letters}
   */
  static DeadLetterSinkException of(Throwable failure, String hub) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof AmqpException amqp && amqp.getErrorCondition() != null) {
        AmqpErrorCondition condition = amqp.getErrorCondition();
        if (condition == AmqpErrorCondition.UNAUTHORIZED_ACCESS) {
          return new DeadLetterSinkException(
              Reason.UNAUTHORIZED,
              "The dead-letter event hub "
                  + hub
                  + " refused the connector's credentials (does it have the Send right, or"
                  + " Azure Event Hubs Data Sender?): "
                  + reason(amqp),
              failure);
        }
        if (condition == AmqpErrorCondition.NOT_FOUND
            || condition == AmqpErrorCondition.ENTITY_DISABLED_ERROR) {
          return new DeadLetterSinkException(
              Reason.NOT_FOUND,
              "The dead-letter event hub " + hub + " was not found: " + reason(amqp),
              failure);
        }
      }
      if (t instanceof ClientAuthenticationException auth) {
        return new DeadLetterSinkException(
            Reason.UNAUTHORIZED,
            "No token for the dead-letter event hub " + hub + ": " + firstLine(auth.getMessage()),
            failure);
      }
    }
    return new DeadLetterSinkException(
        Reason.UNAVAILABLE,
        "The dead-letter event hub "
            + hub
            + " did not accept dead letters: "
            + failure.getClass().getSimpleName()
            + " "
            + firstLine(failure.getMessage()),
        failure);
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
