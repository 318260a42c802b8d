package io.iomt.service;

import io.iomt.azure.AzureCredential;
import io.iomt.azure.eventhubs.EventHubsSources;
import io.iomt.core.retry.Backoff;
import io.iomt.pipeline.Connector;
import io.iomt.pipeline.StageName;
import io.iomt.pipeline.StageStatus;
import io.iomt.pipeline.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the configured connectors. A connector whose topics cannot be made yet (the broker is
 * unreachable) is retried every few seconds in the background, and reported as blocked meanwhile:
 * the service starts, says what it waits for, and begins work by itself.
 */
public final class ConnectorRuntime implements SmartLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectorRuntime.class);

  /** Connectors that cannot start yet are tried again after 1 s, doubling up to 30 s. */
  private static final Backoff START_RETRY =
      Backoff.of(Duration.ofSeconds(1), Duration.ofSeconds(30));

  private final ServiceConfiguration config;
  private final Supplier<AzureCredential> azureCredential;
  private final KafkaRuntime kafka;
  private final ServiceMetrics metrics;
  private final Clock clock;
  private final Map<String, Connector> running = new ConcurrentHashMap<>();
  private final Map<String, StageStatus> pending = new ConcurrentHashMap<>();
  private final Map<String, Backoff.Attempts> startAttempts = new ConcurrentHashMap<>();
  private ScheduledExecutorService starter;
  private volatile boolean started;

  /**
   * @param azureCredential the shared Azure credential, asked for only by Event Hubs sources that
   *     have no SAS connection string
   */
  public ConnectorRuntime(
      ServiceConfiguration config,
      Supplier<AzureCredential> azureCredential,
      KafkaRuntime kafka,
      ServiceMetrics metrics,
      Clock clock) {
    this.config = config;
    this.azureCredential = azureCredential;
    this.kafka = kafka;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public synchronized void start() {
    starter =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "iomt-connector-starter");
              t.setDaemon(true);
              return t;
            });
    for (ServiceConfiguration.ConnectorDefinition d : config.connectors()) {
      pending.put(d.name(), new StageStatus.Starting());
      for (StageName stage : d.stages()) {
        metrics.stageStates(d.name(), stage, () -> status(d.name(), stage));
      }
      starter.execute(() -> tryStart(d));
    }
    started = true;
  }

  private void tryStart(ServiceConfiguration.ConnectorDefinition d) {
    if (!started && starter.isShutdown()) {
      return;
    }
    try {
      Supplier<EventSource> source = null;
      if (d.eventHubs() != null) {
        EventHubsSources sources =
            new EventHubsSources(
                d.eventHubs().settings(azureCredential),
                new EventHubsMetrics(metrics.registry(), clock, d.name()),
                clock);
        source = sources::open;
      }
      Connector c =
          Connector.start(
              d.settings(),
              kafka.clients(),
              source,
              () -> d.destination().writer(clock),
              d.deadLetterHub() == null ? null : d.deadLetterHub().sinks(azureCredential),
              metrics.forConnector(d.name()),
              clock);
      running.put(d.name(), c);
      pending.remove(d.name());
      LOG.info(
          "Connector {} running: {} -> FHIR {}",
          d.name(),
          d.sourceDescription(),
          Redaction.url(d.destination().url()));
    } catch (RuntimeException e) {
      Backoff.Attempts attempts =
          startAttempts.computeIfAbsent(d.name(), n -> START_RETRY.withClock(clock).attempts());
      Duration delay = attempts.failedDelay();
      Instant retry = attempts.retryAt();
      pending.put(
          d.name(),
          new StageStatus.Blocked("EventSourceUnavailable", String.valueOf(e.getMessage()), retry));
      if (attempts.failures() == 1) {
        LOG.warn("Connector {} cannot start yet, retrying by itself: {}", d.name(), e.toString());
      }
      if (!starter.isShutdown()) {
        starter.schedule(() -> tryStart(d), delay.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  /** Whether a connector of that name is configured. */
  public Optional<ServiceConfiguration.ConnectorDefinition> definition(String name) {
    return config.connectors().stream().filter(d -> d.name().equals(name)).findFirst();
  }

  /** What one stage of a connector is doing; stopped for an unknown connector. */
  public StageStatus status(String connector, StageName stage) {
    Connector c = running.get(connector);
    if (c != null) {
      return c.status(stage);
    }
    return pending.getOrDefault(connector, new StageStatus.Stopped("not started"));
  }

  /** Per connector: stage name to status. */
  public Map<String, Map<StageName, StageStatus>> statuses() {
    Map<String, Map<StageName, StageStatus>> out = new LinkedHashMap<>();
    for (ServiceConfiguration.ConnectorDefinition d : config.connectors()) {
      Connector c = running.get(d.name());
      if (c == null) {
        StageStatus s = pending.getOrDefault(d.name(), new StageStatus.Stopped("not started"));
        out.put(d.name(), stages(d, stage -> s));
      } else {
        out.put(d.name(), stages(d, c::status));
      }
    }
    return out;
  }

  /** The connector's configured stages only: no forwarder shown where none is configured. */
  private static Map<StageName, StageStatus> stages(
      ServiceConfiguration.ConnectorDefinition d,
      java.util.function.Function<StageName, StageStatus> status) {
    Map<StageName, StageStatus> out = new java.util.EnumMap<>(StageName.class);
    for (StageName stage : d.stages()) {
      out.put(stage, status.apply(stage));
    }
    return out;
  }

  @Override
  public synchronized void stop() {
    started = false;
    if (starter != null) {
      starter.shutdownNow();
    }
    running.values().forEach(Connector::close);
    running.clear();
  }

  @Override
  public boolean isRunning() {
    return started;
  }
}
