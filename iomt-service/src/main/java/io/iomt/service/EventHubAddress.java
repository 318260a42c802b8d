package io.iomt.service;

import io.iomt.azure.eventhubs.ConnectionStrings;
import java.util.List;

/**
 * The namespace and hub an Event Hubs connection string names, checked against the settings that
 * may name them too ({@code fully-qualified-event-hub-namespace}, {@code event-hub-name}): shared
 * by the event-hubs source and the dead-letter hub, whose settings have the same names.
 *
 * @param namespace the connection string's {@code Endpoint} host (with its port, if any)
 * @param hub the hub from the settings, else the connection string's {@code EntityPath}; may be
 *     null
 * @param entityPath whether the connection string names the hub
 */
record EventHubAddress(String namespace, String hub, boolean entityPath) {

  /**
   * Reads {@code connectionString}, adding a problem under {@code at} for every disagreement with
   * {@code namespace} or {@code hub} (either may be null); null when it cannot be read (a problem
   * says why, never showing the key).
   */
  static EventHubAddress of(
      String at, String connectionString, String namespace, String hub, List<String> problems) {
    ConnectionStrings.Parts parts;
    try {
      parts = ConnectionStrings.parse(connectionString);
    } catch (IllegalArgumentException e) {
      problems.add(at + ".connection-string: " + e.getMessage());
      return null;
    }
    if (namespace != null && !namespace.equalsIgnoreCase(parts.namespace())) {
      problems.add(
          at
              + ".fully-qualified-event-hub-namespace: '"
              + namespace
              + "' differs from the connection string's Endpoint ("
              + parts.namespace()
              + ")");
    }
    if (hub != null && parts.entityPath() != null && !hub.equals(parts.entityPath())) {
      problems.add(
          at
              + ".event-hub-name: '"
              + hub
              + "' differs from the connection string's EntityPath ("
              + parts.entityPath()
              + ")");
    }
    return new EventHubAddress(
        parts.namespace(), hub != null ? hub : parts.entityPath(), parts.entityPath() != null);
  }
}
