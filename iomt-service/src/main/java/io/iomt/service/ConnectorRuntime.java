package io.iomt.service;

import io.iomt.azure.AzureCredential;
import io.iomt.azure.eventhubs.EventHubsSources;
import io.iomt.core.retry.Backoff;
import io.iomt.pipeline.Connector;
import io.iomt.pipeline.StageName;
import io.iomt.pipeline.StageStatus;
import io.iomt.pipeline.source.EventSource;
import io.iomt.service.ServiceConfiguration.ConnectorDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the connectors: those of the configuration file from start-up, and those the management API
 * adds, replaces and removes while the service runs ({@link #run}, {@link #remove}). A connector
 * whose topics cannot be made yet (the broker is unreachable) is retried every few seconds in the
 * background, and reported as starting or blocked meanwhile: the service starts, says what it waits
 * for, and begins work by itself.
 *
 * <p>Replacing a connector swaps it live: the old one is closed first (its normalize stage ends its
 * current poll and commits it; its group stage, as its consumer leaves the group, writes what it
 * holds to FHIR and commits it while the server answers), then the new one starts in the same
 * consumer groups, continuing from the committed offsets. What the old group stage could not write
 * while closing (FHIR down) stays uncommitted and is read again by the new one, converted under the
 * new mapping; nothing accepted is lost, and nothing committed is converted twice.
 *
 * <p>Operations on one connector run one after another, in the order called, on a worker of their
 * own; those on different connectors run in parallel. {@link #run} and {@link #remove} wait for
 * their operation at most {@code operationWait} (a close or a start blocked by a broker outage goes
 * on in the background, and status shows it). Thread-safe; readers never wait for an operation.
 */
public final class ConnectorRuntime implements SmartLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectorRuntime.class);

  /** Connectors that cannot start yet are tried again after 1 s, doubling up to 30 s. */
  private static final Backoff START_RETRY =
      Backoff.of(Duration.ofSeconds(1), Duration.ofSeconds(30));

  /** How long {@link #run} and {@link #remove} wait for their operation by default. */
  static final Duration OPERATION_WAIT = Duration.ofSeconds(30);

  private final ServiceConfiguration config;
  private final Supplier<AzureCredential> azureCredential;
  private final KafkaRuntime kafka;
  private final ServiceMetrics metrics;
  private final Clock clock;
  private final Duration operationWait;
  private final Object lock = new Object();

  /** The connectors wanted now, the configuration file's first; guarded by {@link #lock}. */
  private final Map<String, Slot> slots = new LinkedHashMap<>();

  /** Per connector, the last operation queued; guarded by {@link #lock}. */
  private final Map<String, CompletableFuture<Void>> lanes = new HashMap<>();

  /** An unmodifiable copy of {@link #slots} for readers. */
  private volatile Map<String, Slot> view = Map.of();

  /** Created by {@link #start()}; guarded by {@link #lock}. */
  private ScheduledExecutorService starter;

  private ExecutorService workers;
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
    this(config, azureCredential, kafka, metrics, clock, OPERATION_WAIT);
  }

  /**
   * @param operationWait how long {@link #run} and {@link #remove} wait for their operation before
   *     leaving it to finish in the background
   */
  public ConnectorRuntime(
      ServiceConfiguration config,
      Supplier<AzureCredential> azureCredential,
      KafkaRuntime kafka,
      ServiceMetrics metrics,
      Clock clock,
      Duration operationWait) {
    this.config = config;
    this.azureCredential = azureCredential;
    this.kafka = kafka;
    this.metrics = metrics;
    this.clock = clock;
    this.operationWait = operationWait;
    synchronized (lock) {
      for (ConnectorDefinition d : config.connectors()) {
        slots.put(d.name(), new Slot(d));
      }
      publish();
    }
  }

  @Override
  public void start() {
    synchronized (lock) {
      if (started) {
        return;
      }
      starter = Executors.newSingleThreadScheduledExecutor(daemon("iomt-connector-starter"));
      workers = Executors.newCachedThreadPool(daemon("iomt-connector-operation"));
      started = true;
      for (Slot slot : slots.values()) {
        registerGauges(slot, null);
        enqueue(slot.name(), () -> tryStart(slot));
      }
    }
  }

  /**
   * Runs {@code d}: starts it when no connector of its name runs, or swaps it in live for the one
   * that runs (see the class comment). A definition that is the one already running (the same
   * object, or an equal one) changes nothing. Before {@link #start()}, the connector is only
   * recorded and starts with the others. Returns once the connector started, failed to start (it is
   * then retried in the background and reported blocked) or after {@code operationWait}.
   *
   * @throws IllegalArgumentException when a connector of that name comes from the configuration
   *     file (those change only with the file)
   */
  public void run(ConnectorDefinition d) {
    Objects.requireNonNull(d, "d");
    CompletableFuture<Void> done;
    synchronized (lock) {
      if (fromConfiguration(d.name())) {
        throw new IllegalArgumentException(
            "connector '" + d.name() + "' comes from the configuration file");
      }
      Slot old = slots.get(d.name());
      if (old != null && old.definition.equals(d)) {
        return;
      }
      Slot next = new Slot(d);
      slots.put(d.name(), next);
      publish();
      if (!started) {
        return;
      }
      registerGauges(next, old);
      done =
          enqueue(
              d.name(),
              () -> {
                if (old != null) {
                  stop(old, "replaced");
                }
                tryStart(next);
              });
    }
    await(done, "start of connector " + d.name());
  }

  /**
   * Stops the connector of that name and drops its metrics and health entries; nothing for an
   * unknown name. Its stages end their current poll and commit what they hold (as for a swap). Its
   * topics, consumer groups and checkpoints are kept (see {@code ConnectorProvisioning}). Returns
   * once it stopped, or after {@code operationWait}.
   *
   * @throws IllegalArgumentException when the connector comes from the configuration file
   */
  public void remove(String name) {
    CompletableFuture<Void> done;
    synchronized (lock) {
      if (fromConfiguration(name)) {
        throw new IllegalArgumentException(
            "connector '" + name + "' comes from the configuration file");
      }
      Slot old = slots.remove(name);
      if (old == null) {
        return;
      }
      publish();
      if (!started) {
        return;
      }
      done =
          enqueue(
              name,
              () -> {
                stop(old, "removed");
                synchronized (lock) {
                  if (!slots.containsKey(name)) { // not added again meanwhile
                    metrics.forget(name);
                  }
                }
              });
    }
    await(done, "stop of connector " + name);
  }

  /** The connectors wanted now: the configuration file's first, then the run-time ones. */
  public List<ConnectorDefinition> definitions() {
    List<ConnectorDefinition> out = new ArrayList<>();
    view.values().forEach(s -> out.add(s.definition));
    return Collections.unmodifiableList(out);
  }

  /** Whether the connector of that name comes from the configuration file. */
  public boolean fromConfiguration(String name) {
    return config.connectors().stream().anyMatch(d -> d.name().equals(name));
  }

  /** The current definition of the connector of that name, if there is one. */
  public Optional<ConnectorDefinition> definition(String name) {
    Slot slot = view.get(name);
    return slot == null ? Optional.empty() : Optional.of(slot.definition);
  }

  /** What one stage of a connector is doing; stopped for an unknown connector. */
  public StageStatus status(String connector, StageName stage) {
    Slot slot = view.get(connector);
    return slot == null ? new StageStatus.Stopped("not started") : slot.status(stage);
  }

  /** Per connector, in {@link #definitions()} order: stage name to status. */
  public Map<String, Map<StageName, StageStatus>> statuses() {
    Map<String, Map<StageName, StageStatus>> out = new LinkedHashMap<>();
    for (Slot slot : view.values()) {
      out.put(slot.name(), stages(slot.definition, slot::status));
    }
    return out;
  }

  /** The connector's configured stages only: no forwarder shown where none is configured. */
  private static Map<StageName, StageStatus> stages(
      ConnectorDefinition d, Function<StageName, StageStatus> status) {
    Map<StageName, StageStatus> out = new EnumMap<>(StageName.class);
    for (StageName stage : d.stages()) {
      out.put(stage, status.apply(stage));
    }
    return out;
  }

  /**
   * Gauges of the slot's stages; those of stages the old definition had and this one has not go.
   */
  private void registerGauges(Slot slot, Slot old) {
    String name = slot.name();
    for (StageName stage : slot.definition.stages()) {
      metrics.stageStates(name, stage, () -> status(name, stage));
    }
    if (old != null) {
      for (StageName stage : old.definition.stages()) {
        if (!slot.definition.stages().contains(stage)) {
          metrics.forgetStageStates(name, stage);
        }
      }
    }
  }

  /** Starts the slot's connector, or schedules another try; runs in the connector's lane. */
  private void tryStart(Slot slot) {
    if (!started || slot.stopped) {
      return;
    }
    ConnectorDefinition d = slot.definition;
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
      synchronized (slot) {
        if (slot.stopped) { // the service stopped meanwhile
          c.close();
          return;
        }
        slot.running = c;
      }
      LOG.info(
          "Connector {} running: {} -> FHIR {}",
          d.name(),
          d.sourceDescription(),
          Redaction.url(d.destination().url()));
    } catch (RuntimeException e) {
      if (slot.attempts == null) {
        slot.attempts = START_RETRY.withClock(clock).attempts();
      }
      Duration delay = slot.attempts.failedDelay();
      Instant retry = slot.attempts.retryAt();
      slot.pending =
          new StageStatus.Blocked("EventSourceUnavailable", String.valueOf(e.getMessage()), retry);
      if (slot.attempts.failures() == 1) {
        LOG.warn("Connector {} cannot start yet, retrying by itself: {}", d.name(), e.toString());
      }
      scheduleRetry(slot, delay);
    }
  }

  private void scheduleRetry(Slot slot, Duration delay) {
    synchronized (lock) {
      if (!started || starter.isShutdown()) {
        return;
      }
      starter.schedule(
          () -> {
            synchronized (lock) {
              if (started && slots.get(slot.name()) == slot) {
                enqueue(slot.name(), () -> tryStart(slot));
              }
            }
          },
          delay.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /** Stops the slot's connector (if it runs) and marks it stopped: a start queued later is void. */
  private void stop(Slot slot, String reason) {
    Connector c;
    synchronized (slot) {
      slot.stopped = true;
      c = slot.running;
      slot.running = null;
      slot.pending = new StageStatus.Stopped(reason);
    }
    if (c != null) {
      c.close();
      LOG.info("Connector {} stopped ({})", slot.name(), reason);
    }
  }

  /** Queues an operation after the connector's previous one; never fails the lane. */
  private CompletableFuture<Void> enqueue(String name, Runnable operation) {
    CompletableFuture<Void> previous =
        lanes.getOrDefault(name, CompletableFuture.completedFuture(null));
    CompletableFuture<Void> next =
        previous.thenRunAsync(
            () -> {
              try {
                operation.run();
              } catch (RuntimeException | Error e) {
                LOG.error("Operation on connector {} failed", name, e);
              }
            },
            workers);
    lanes.put(name, next);
    next.whenComplete(
        (v, e) -> {
          synchronized (lock) {
            lanes.remove(name, next);
          }
        });
    return next;
  }

  private void await(CompletableFuture<Void> done, String what) {
    try {
      done.get(operationWait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("The {} takes longer than {}: it goes on in the background", what, operationWait);
    } catch (ExecutionException e) {
      LOG.error("The {} failed", what, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Guarded by {@link #lock}. */
  private void publish() {
    view = Collections.unmodifiableMap(new LinkedHashMap<>(slots));
  }

  @Override
  public void stop() {
    List<Slot> all;
    synchronized (lock) {
      started = false;
      if (starter != null) {
        starter.shutdownNow();
      }
      all = new ArrayList<>(slots.values());
    }
    all.forEach(slot -> stop(slot, "closed"));
    synchronized (lock) {
      if (workers != null) {
        workers.shutdown();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return started;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** One wanted connector: its definition and, once started, what runs it. */
  private static final class Slot {
    final ConnectorDefinition definition;

    /** Guarded by this slot. */
    volatile Connector running;

    volatile StageStatus pending = new StageStatus.Starting();
    volatile boolean stopped;

    /** Start failures; touched only in the connector's lane. */
    Backoff.Attempts attempts;

    Slot(ConnectorDefinition definition) {
      this.definition = definition;
    }

    String name() {
      return definition.name();
    }

    StageStatus status(StageName stage) {
      Connector c = running;
      return c != null ? c.status(stage) : pending;
    }
  }
}
