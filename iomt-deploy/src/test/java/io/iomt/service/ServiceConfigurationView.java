package io.iomt.service;

import java.util.Optional;

/**
 * What iomt-deploy's agreement tests need from a checked configuration that the service keeps
 * package-private: the Event Hubs source of a connector as the service resolved it. Test code in
 * the service's package (iomt-deploy's test classpath only); reads, never changes.
 */
public final class ServiceConfigurationView {
  /** A connector's Event Hubs source: namespace, hub, consumer group and checkpoint container. */
  public record EventHubsSource(
      String namespace,
      String eventHub,
      String consumerGroup,
      String container,
      String containerUrl) {}

  private ServiceConfigurationView() {}

  /** The Event Hubs source of a connector; empty when it reads its source topic. */
  public static Optional<EventHubsSource> eventHubsSource(
      ServiceConfiguration.ConnectorDefinition connector) {
    EventHubsSourceConfig c = connector.eventHubs();
    return c == null
        ? Optional.empty()
        : Optional.of(
            new EventHubsSource(
                c.namespace(), c.eventHub(), c.consumerGroup(), c.container(), c.containerUrl()));
  }
}
