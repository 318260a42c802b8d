package io.iomt.service;

import io.iomt.azure.AzureCredential;
import io.iomt.azure.eventhubs.EventHubsSourceSettings;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A connector's checked {@code source} settings of type {@code event-hubs}: an Azure Event Hub or
 * an IoT Hub's built-in endpoint read over AMQP, with checkpoints in a Blob container. Secrets are
 * held as suppliers of the configured value and never shown. Immutable.
 *
 * @param connectionString the SAS connection string, or null to use the shared Azure credential
 * @param checkpointConnectionString the storage connection string, or null to use {@code
 *     containerUrl} with the shared Azure credential
 */
record EventHubsSourceConfig(
    String namespace,
    String eventHub,
    String consumerGroup,
    Supplier<String> connectionString,
    Supplier<String> checkpointConnectionString,
    String container,
    String containerUrl,
    EventHubsSourceSettings.StartPosition startPosition,
    Duration ownershipExpiration,
    Duration loadBalancingInterval,
    int maxBatchSize,
    int prefetch,
    Duration unavailableAfter) {

  /** Whether this source needs the shared Azure credential (no SAS for the hub or the storage). */
  boolean needsCredential() {
    return connectionString == null || checkpointConnectionString == null;
  }

  /** {@code namespace/hub}, for logs and health. */
  String describe() {
    return namespace + "/" + eventHub + " (" + consumerGroup + ")";
  }

  /** The iomt-azure settings, with the shared credential where no SAS is configured. */
  EventHubsSourceSettings settings(Supplier<AzureCredential> credential) {
    EventHubsSourceSettings.Auth auth =
        connectionString != null
            ? new EventHubsSourceSettings.Auth.ConnectionString(connectionString)
            : new EventHubsSourceSettings.Auth.Credential(credential.get());
    EventHubsSourceSettings.Checkpoints checkpoints =
        checkpointConnectionString != null
            ? new EventHubsSourceSettings.Checkpoints.ConnectionString(
                checkpointConnectionString, container)
            : new EventHubsSourceSettings.Checkpoints.Credential(containerUrl, credential.get());
    return new EventHubsSourceSettings(
        connectionString != null ? null : namespace,
        eventHub,
        consumerGroup,
        auth,
        checkpoints,
        startPosition,
        ownershipExpiration,
        loadBalancingInterval,
        maxBatchSize,
        prefetch,
        unavailableAfter);
  }

  /**
   * The checked settings of {@code at} ({@code iomt.connectors.<name>.source}), or null after
   * adding every problem to {@code problems}.
   */
  static EventHubsSourceConfig check(String at, IomtProperties.Source s, List<String> problems) {
    int before = problems.size();
    String cs = blankToNull(s.getConnectionString());
    String namespace = blankToNull(s.getFullyQualifiedEventHubNamespace());
    String hub = blankToNull(s.getEventHubName());
    if (cs != null) {
      EventHubAddress address = EventHubAddress.of(at, cs, namespace, hub, problems);
      if (address != null) {
        namespace = address.namespace();
        hub = address.hub();
      }
    } else if (namespace == null) {
      problems.add(
          at
              + ": an event-hubs source needs fully-qualified-event-hub-namespace (with the shared"
              + " Azure credential, iomt.azure.credential) or connection-string (SAS)");
    }
    if (hub == null && problems.size() == before) {
      problems.add(at + ".event-hub-name: required (or EntityPath in the connection string)");
    }
    String consumerGroup = blankToNull(s.getConsumerGroup());
    if (consumerGroup == null) {
      problems.add(at + ".consumer-group: must not be empty ($Default is the hub's own)");
    }
    IomtProperties.Checkpoints c = s.getCheckpoints();
    String checkpointCs = blankToNull(c.getConnectionString());
    String containerUrl = blankToNull(c.getContainerUrl());
    String container = blankToNull(c.getContainer());
    if (checkpointCs != null) {
      if (container == null) {
        problems.add(at + ".checkpoints.container: required with checkpoints.connection-string");
      } else if (!container.matches("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]")) {
        problems.add(
            at
                + ".checkpoints.container: '"
                + container
                + "' is not a Blob container name (3-63 lowercase letters, digits and single '-')");
      }
      if (containerUrl != null) {
        problems.add(at + ".checkpoints: set container-url or connection-string, not both");
      }
    } else if (containerUrl == null) {
      problems.add(
          at
              + ".checkpoints: the Blob container for checkpoints and partition ownership is"
              + " required: container-url (with the shared Azure credential) or connection-string"
              + " and container");
    } else if (!isHttpUrl(containerUrl)) {
      problems.add(
          at
              + ".checkpoints.container-url: '"
              + Redaction.url(containerUrl)
              + "' is not an http(s) URL like https://<account>.blob.core.windows.net/<container>");
    }
    EventHubsSourceSettings.StartPosition start = startPosition(at, s.getStartPosition(), problems);
    positive(at + ".ownership-expiration", s.getOwnershipExpiration(), problems);
    positive(at + ".load-balancing-interval", s.getLoadBalancingInterval(), problems);
    positive(at + ".unavailable-after", s.getUnavailableAfter(), problems);
    if (s.getOwnershipExpiration() != null
        && s.getLoadBalancingInterval() != null
        && s.getOwnershipExpiration().compareTo(s.getLoadBalancingInterval()) <= 0) {
      problems.add(
          at
              + ".ownership-expiration: must be longer than load-balancing-interval (claims are"
              + " renewed every interval and would expire in between)");
    }
    if (s.getMaxBatchSize() < 1) {
      problems.add(at + ".max-batch-size: must be at least 1, got " + s.getMaxBatchSize());
    }
    if (s.getPrefetch() < 1) {
      problems.add(at + ".prefetch: must be at least 1, got " + s.getPrefetch());
    }
    if (problems.size() > before) {
      return null;
    }
    String connectionString = cs;
    return new EventHubsSourceConfig(
        namespace,
        hub,
        consumerGroup,
        connectionString == null ? null : () -> connectionString,
        checkpointCs == null ? null : () -> checkpointCs,
        container,
        containerUrl,
        start,
        s.getOwnershipExpiration(),
        s.getLoadBalancingInterval(),
        s.getMaxBatchSize(),
        s.getPrefetch(),
        s.getUnavailableAfter());
  }

  private static EventHubsSourceSettings.StartPosition startPosition(
      String at, String value, List<String> problems) {
    String v = value == null ? "earliest" : value.trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case "earliest":
        return new EventHubsSourceSettings.StartPosition.Earliest();
      case "latest":
        return new EventHubsSourceSettings.StartPosition.Latest();
      default:
        try {
          return new EventHubsSourceSettings.StartPosition.EnqueuedTime(
              Instant.parse(value.trim()));
        } catch (DateTimeParseException e) {
          problems.add(
              at
                  + ".start-position: '"
                  + value
                  + "' is not earliest, latest or an ISO-8601 instant like"
                  + " 2026-11-30T00:00:00Z");
          return null;
        }
    }
  }

  private static void positive(String at, Duration d, List<String> problems) {
    if (d == null || d.isZero() || d.isNegative()) {
      problems.add(at + ": must be a positive duration, got " + d);
    }
  }

  private static boolean isHttpUrl(String url) {
    try {
      URI u = URI.create(url);
      return ("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme()))
          && u.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  @Override
  public String toString() {
    return "EventHubsSourceConfig[" + describe() + "]";
  }
}
