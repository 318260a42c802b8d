package io.iomt.service;

import io.iomt.service.management.ConfigurationResources;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Wires the management API, its store and the reconciler (iomt.management.enabled). */
final class ManagementBeans {
  private ManagementBeans() {}

  /** The configuration file's connectors as the API shows them (read-only). */
  static ConfigurationResources configurationResources(ServiceConfiguration config) {
    IomtProperties p = config.properties();
    List<ConfigurationResources.Configured> out = new ArrayList<>();
    for (ServiceConfiguration.ConnectorDefinition d : config.connectors()) {
      IomtProperties.Connector c = p.getConnectors().get(d.name());
      IomtProperties.Source s = c.getSource();
      List<String> hub =
          d.eventHubs() == null
              ? null
              : List.of(
                  String.valueOf(s.getFullyQualifiedEventHubNamespace()),
                  String.valueOf(s.getEventHubName()),
                  String.valueOf(s.getConsumerGroup()));
      out.add(
          new ConfigurationResources.Configured(
              d.name(),
              d.settings().topics().source(),
              hub,
              d.settings().partitions(),
              read(c.getDeviceMapping()),
              read(c.getFhirMapping()),
              Redaction.url(d.destination().url()),
              c.getFhir().getAuth().getType(),
              c.getFhir().getIdentityResolution()));
    }
    IomtProperties.Management m = p.getManagement();
    return new ConfigurationResources(
        m.getSubscriptionId(), m.getResourceGroup(), m.getConfigurationWorkspace(), out);
  }

  private static byte[] read(java.nio.file.Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      return ("\"" + path + " cannot be read\"").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  static Map<String, Object> none() {
    return Map.of();
  }
}
