package io.iomt.service;

import io.iomt.service.management.ConfigurationResources;
import io.iomt.service.management.ConnectorProvisioning;
import io.iomt.service.management.ConnectorResources;
import io.iomt.service.management.KafkaResourceStore;
import io.iomt.service.management.ManagementService;
import io.iomt.service.management.Reconciler;
import io.iomt.service.management.ResourceStore;
import io.iomt.service.management.security.ManagementAudit;
import io.iomt.service.management.security.ManagementCaller;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the management API (iomt.management.enabled, on by default): its store on the service's
 * broker, the reconciler that runs API-made connectors on this replica, and the read-only view of
 * the configuration file's connectors.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "iomt.management.enabled", matchIfMissing = true)
class ManagementBeans {
  private static final Logger LOG = LoggerFactory.getLogger(ManagementBeans.class);

  @Bean(destroyMethod = "close")
  ResourceStore resourceStore(IomtProperties properties, KafkaRuntime kafka, Clock clock) {
    IomtProperties.Management m = properties.getManagement();
    return new KafkaResourceStore(
        kafka.clients(), m.getTopic(), m.getWriteTimeout(), clock, kafka.clients().instanceId());
  }

  @Bean
  ManagementService managementService(
      ResourceStore store,
      ServiceConfiguration config,
      ManagementService.Audit audit,
      IomtProperties properties,
      Clock clock) {
    return new ManagementService(
        store,
        audit,
        configurationResources(config),
        clock,
        Math.max(1, properties.getManagement().getPageSize()));
  }

  /** Changes are audited with the caller of the current request (security's audit). */
  @Bean
  ManagementService.Audit managementServiceAudit(ManagementAudit audit) {
    return (caller, action, id, outcome) -> audit.record(action, id.toString(), outcome);
  }

  /** The caller for systemData: the authenticated principal's name and kind, never a key. */
  @Bean
  ManagementService.Callers managementCallers() {
    return () ->
        ManagementCaller.current()
            .map(c -> new ManagementService.Caller(c.name(), c.type().armName()))
            .orElse(new ManagementService.Caller("unknown", "Application"));
  }

  @Bean
  ConnectorResources connectorResources(
      ServiceConfiguration config, ConnectorRuntime runtime, IomtProperties properties) {
    return new ConnectorResources(
        (name, settings, device, deviceLabel, fhir, fhirLabel) -> {
          ServiceConfiguration.CheckedConnector checked =
              config.connector(
                  name,
                  settings,
                  new ServiceConfiguration.MappingContent(deviceLabel, device),
                  new ServiceConfiguration.MappingContent(fhirLabel, fhir),
                  runtime.definitions());
          return checked instanceof ServiceConfiguration.CheckedConnector.Valid v
              ? new ConnectorResources.Built(v.definition(), List.of())
              : new ConnectorResources.Built(
                  null, ((ServiceConfiguration.CheckedConnector.Invalid) checked).problems());
        },
        properties.getManagement().getCheckpoints());
  }

  @Bean(destroyMethod = "close")
  Reconciler reconciler(
      ResourceStore store,
      ConnectorResources resources,
      ConnectorProvisioning provisioning,
      ConnectorRuntime runtime,
      Clock clock) {
    return new Reconciler(
        store,
        resources,
        provisioning,
        new Reconciler.Connectors() {
          @Override
          public void run(ServiceConfiguration.ConnectorDefinition definition) {
            runtime.run(definition);
          }

          @Override
          public void remove(String name) {
            runtime.remove(name);
          }
        },
        clock);
  }

  /** Reads the store, then reconciles, in the background: a broker outage never stops start-up. */
  @Bean
  ManagementStartup managementStartup(
      ResourceStore store, Reconciler reconciler, ManagementService service) {
    return new ManagementStartup(store, reconciler, service);
  }

  @Bean
  HealthIndicator managementHealthIndicator(ManagementStartup startup) {
    return () ->
        startup.ready()
            ? Health.up().build()
            : Health.outOfService().withDetail("store", "still being read").build();
  }

  /** Starts the store and the reconciler after the connectors of the configuration file. */
  static final class ManagementStartup implements SmartLifecycle {
    private final ResourceStore store;
    private final Reconciler reconciler;
    private final ManagementService service;
    private volatile boolean ready;
    private volatile boolean running;
    private Thread thread;

    ManagementStartup(ResourceStore store, Reconciler reconciler, ManagementService service) {
      this.store = store;
      this.reconciler = reconciler;
      this.service = service;
    }

    boolean ready() {
      return ready;
    }

    @Override
    public synchronized void start() {
      running = true;
      thread =
          new Thread(
              () -> {
                long delay = 1000;
                while (running && !ready) {
                  try {
                    store.start();
                    reconciler.start();
                    ready = true;
                    service.markReady();
                    LOG.info("Management store read; API-made connectors reconciled from now on");
                  } catch (RuntimeException e) {
                    LOG.warn("The management store cannot be read yet, retrying: {}", e.toString());
                    try {
                      Thread.sleep(delay);
                    } catch (InterruptedException ie) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                    delay = Math.min(delay * 2, 30_000);
                  }
                }
              },
              "iomt-management-startup");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public synchronized void stop() {
      running = false;
      if (thread != null) {
        thread.interrupt();
      }
    }

    @Override
    public boolean isRunning() {
      return running;
    }
  }

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
}
