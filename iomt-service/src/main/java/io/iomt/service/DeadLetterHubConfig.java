package io.iomt.service;

import io.iomt.azure.AzureCredential;
import io.iomt.azure.deadletter.EventHubDeadLetterSettings;
import io.iomt.azure.deadletter.EventHubDeadLetterSink;
import io.iomt.azure.eventhubs.EventHubsSourceSettings;
import io.iomt.pipeline.deadletter.DeadLetterSink;
import io.iomt.pipeline.deadletter.DeadLetterSinkException;
import java.util.List;
import java.util.function.Supplier;

/**
 * A connector's checked {@code dead-letters.event-hub} settings: the customer's Event Hub that
 * receives a copy of every dead letter. The connection string is held as a supplier and never
 * shown. Immutable.
 *
 * @param namespace the namespace host, from the setting or the connection string's Endpoint
 * @param eventHub the hub, from the setting or the connection string's EntityPath
 * @param connectionString the SAS connection string, or null to use the shared Azure credential
 * @param entityPathInConnectionString whether the connection string names the hub itself
 */
record DeadLetterHubConfig(
    String namespace,
    String eventHub,
    Supplier<String> connectionString,
    boolean entityPathInConnectionString) {

  /** {@code namespace/hub}, for logs. */
  String describe() {
    return namespace + "/" + eventHub;
  }

  /**
   * Opens a new sink for each start of the forwarding stage. A shared credential that cannot be had
   * blocks the forwarder (as refused credentials would), never the connector's other stages.
   */
  Supplier<DeadLetterSink> sinks(Supplier<AzureCredential> credential) {
    return () -> {
      EventHubDeadLetterSettings settings;
      try {
        settings = settings(credential);
      } catch (RuntimeException e) {
        throw new DeadLetterSinkException(
            DeadLetterSinkException.Reason.UNAUTHORIZED,
            "No credential for the dead-letter event hub " + describe() + ": " + e.getMessage(),
            e);
      }
      return new EventHubDeadLetterSink(settings);
    };
  }

  /** The iomt-azure settings; asks for the shared credential only when there is no SAS. */
  EventHubDeadLetterSettings settings(Supplier<AzureCredential> credential) {
    if (connectionString != null) {
      return new EventHubDeadLetterSettings(
          null,
          entityPathInConnectionString ? null : eventHub,
          new EventHubsSourceSettings.Auth.ConnectionString(connectionString));
    }
    return new EventHubDeadLetterSettings(
        namespace, eventHub, new EventHubsSourceSettings.Auth.Credential(credential.get()));
  }

  /**
   * The checked settings of {@code at} ({@code iomt.connectors.<name>.dead-letters.event-hub}):
   * null when none is set (no forwarding) or after adding every problem to {@code problems}.
   */
  static DeadLetterHubConfig check(
      String at, IomtProperties.DeadLetterHub h, List<String> problems) {
    String cs = blankToNull(h.getConnectionString());
    String namespace = blankToNull(h.getFullyQualifiedEventHubNamespace());
    String hub = blankToNull(h.getEventHubName());
    if (cs == null && namespace == null && hub == null) {
      return null;
    }
    int before = problems.size();
    boolean entityPath = false;
    if (cs != null) {
      EventHubAddress address = EventHubAddress.of(at, cs, namespace, hub, problems);
      if (address != null) {
        entityPath = address.entityPath();
        namespace = address.namespace();
        hub = address.hub();
        if (hub == null) {
          problems.add(at + ".event-hub-name: required (or EntityPath in the connection string)");
        }
      }
    } else {
      if (namespace == null) {
        problems.add(
            at
                + ": needs fully-qualified-event-hub-namespace (with the shared Azure credential,"
                + " iomt.azure.credential) or connection-string (SAS with the Send right)");
      } else if (namespace.contains("/")) {
        problems.add(
            at
                + ".fully-qualified-event-hub-namespace: '"
                + namespace
                + "' is not a host name like contoso.servicebus.windows.net");
      }
      if (hub == null) {
        problems.add(at + ".event-hub-name: required");
      }
    }
    if (hub != null && !hub.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,255}")) {
      problems.add(
          at
              + ".event-hub-name: '"
              + hub
              + "' is not an event hub name (letters, digits, '.', '_', '-')");
    }
    if (problems.size() > before) {
      return null;
    }
    String connectionString = cs;
    return new DeadLetterHubConfig(
        namespace, hub, connectionString == null ? null : () -> connectionString, entityPath);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  @Override
  public String toString() {
    return "DeadLetterHubConfig[" + describe() + "]";
  }
}
