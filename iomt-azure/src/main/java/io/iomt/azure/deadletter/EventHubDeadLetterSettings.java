package io.iomt.azure.deadletter;

import io.iomt.azure.eventhubs.EventHubsSourceSettings;
import java.util.Objects;

/**
 * The Event Hub that receives a connector's dead letters, and how to authenticate to it.
 *
 * @param fullyQualifiedEventHubNamespace e.g. {@code contoso.servicebus.windows.net}; with a
 *     connection string, may be null (its {@code Endpoint} is used)
 * @param eventHubName the hub; with a connection string that has {@code EntityPath}, null
 * @param auth a SAS connection string (a policy with the Send right), or the shared Azure
 *     credential (an identity with "Azure Event Hubs Data Sender" on the hub)
 */
public record EventHubDeadLetterSettings(
    String fullyQualifiedEventHubNamespace,
    String eventHubName,
    EventHubsSourceSettings.Auth auth) {

  public EventHubDeadLetterSettings {
    Objects.requireNonNull(auth, "auth");
    if (auth instanceof EventHubsSourceSettings.Auth.Credential
        && (fullyQualifiedEventHubNamespace == null || eventHubName == null)) {
      throw new IllegalArgumentException(
          "an Azure AD credential needs the namespace and the hub name");
    }
  }
}
