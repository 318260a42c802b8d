package io.iomt.service;

import io.iomt.core.error.IomtException;
import io.iomt.pipeline.StageMetrics;
import io.iomt.pipeline.StageName;
import io.iomt.pipeline.StageStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * MedTech's metrics on Micrometer, tagged by connector (docs/operations.md maps each to its MedTech
 * name): {@code iomt_incoming_messages_total} (IncomingMessage), {@code
 * iomt_normalized_messages_total} (NormalizedEvent), {@code iomt_measurements_total} (Measurement),
 * {@code iomt_measurement_groups_total} (MeasurementGroup), {@code
 * iomt_fhir_resources_saved_total{outcome}} (FhirResourceSaved), {@code
 * iomt_errors_total{name,stage,severity}} (TotalErrors), {@code iomt_normalize_latency_seconds} and
 * {@code iomt_group_latency_seconds} (the average stage latencies: sum / count), and {@code
 * iomt_event_freshness_seconds{stage,partition}}, {@code iomt_group_buffered_bytes} and {@code
 * iomt_group_flushes_in_flight} (the group stage's memory and write concurrency), {@code
 * iomt_dead_letters_total{stage}} (messages a non-blocking error skipped into the error topic), and
 * {@code iomt_dead_letters_forwarded_total} where dead letters go to a customer's Event Hub. Lag
 * and health come from {@link ConsumerLagMonitor} and the health endpoint.
 */
public final class ServiceMetrics {
  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<String, StageMetrics> byConnector = new ConcurrentHashMap<>();

  public ServiceMetrics(MeterRegistry registry) {
    this(registry, Clock.systemUTC());
  }

  /**
   * @param clock what "now" is for event freshness
   */
  public ServiceMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /**
   * {@code iomt_stage_state{connector,stage,state}}: 1 for the state a stage is in (starting,
   * running, blocked, failed, stopped), 0 for the others, so an alert can fire on {@code
   * state="failed"} or {@code state="blocked"}.
   */
  public void stageStates(String connector, StageName stage, Supplier<StageStatus> status) {
    for (String state : STATES) {
      Gauge.builder("iomt.stage.state", status, s -> s.get().state().equals(state) ? 1.0 : 0.0)
          .description("1 for the state the stage is in, 0 for the others")
          .strongReference(true) // the supplier lives nowhere else: a weak one reads NaN after GC
          .tag("connector", connector)
          .tag("stage", stage.id())
          .tag("state", state)
          .register(registry);
    }
  }

  /** Removes the {@code iomt_stage_state} gauges of a stage the connector no longer runs. */
  public void forgetStageStates(String connector, StageName stage) {
    registry
        .find("iomt.stage.state")
        .tag("connector", connector)
        .tag("stage", stage.id())
        .meters()
        .forEach(registry::remove);
  }

  /**
   * Removes every meter of a connector that was removed (all {@code iomt_*} meters tagged with its
   * name), so that scrapes no longer show it; a connector of that name added later starts from
   * zero.
   */
  public void forget(String connector) {
    byConnector.remove(connector);
    for (Meter meter : List.copyOf(registry.getMeters())) {
      if (meter.getId().getName().startsWith("iomt.")
          && connector.equals(meter.getId().getTag("connector"))) {
        registry.remove(meter);
      }
    }
  }

  private static final List<String> STATES =
      List.of("starting", "running", "blocked", "failed", "stopped");

  public MeterRegistry registry() {
    return registry;
  }

  public StageMetrics forConnector(String connector) {
    return byConnector.computeIfAbsent(connector, Bound::new);
  }

  private final class Bound implements StageMetrics {
    private final String connector;
    private final Counter incoming;
    private final Counter normalized;
    private final Counter measurements;
    private final Counter groups;
    private final Counter created;
    private final Counter updated;
    private final Counter unchanged;
    private final Counter forwarded;
    private final Timer normalizeLatency;
    private final Timer groupLatency;
    private final Map<String, AtomicLong> freshness = new ConcurrentHashMap<>();
    private final AtomicLong bufferedBytes = new AtomicLong();
    private final AtomicLong flushesInFlight = new AtomicLong();

    Bound(String connector) {
      this.connector = connector;
      incoming =
          counter("iomt.incoming.messages", "Device messages read (MedTech IncomingMessage)");
      normalized =
          counter(
              "iomt.normalized.messages",
              "Messages that produced at least one measurement (MedTech NormalizedEvent)");
      measurements = counter("iomt.measurements", "Measurements produced (MedTech Measurement)");
      groups =
          counter(
              "iomt.measurement.groups", "Measurement groups written (MedTech MeasurementGroup)");
      created = saved("created");
      updated = saved("updated");
      unchanged = saved("noop");
      forwarded =
          counter(
              "iomt.dead.letters.forwarded",
              "Dead letters the customer's dead-letter destination accepted (at least once)");
      normalizeLatency =
          Timer.builder("iomt.normalize.latency")
              .description(
                  "Message arrival to measurements acknowledged on the normalized topic"
                      + " (MedTech AverageNormalizationStageLatency = sum / count)")
              .tag("connector", connector)
              .register(registry);
      groupLatency =
          Timer.builder("iomt.group.latency")
              .description(
                  "Message arrival to its Observation accepted by FHIR"
                      + " (MedTech AverageGroupStageLatency = sum / count)")
              .tag("connector", connector)
              .publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofMillis(10))
              .maximumExpectedValue(Duration.ofMinutes(30))
              .register(registry);
      Gauge.builder("iomt.group.buffered", bufferedBytes, AtomicLong::get)
          .description(
              "Normalized record bytes the group stage holds (buffered and being written) on this"
                  + " replica; consumption pauses at flush.max-buffered-bytes")
          .baseUnit("bytes")
          .tag("connector", connector)
          .register(registry);
      Gauge.builder("iomt.group.flushes.in.flight", flushesInFlight, AtomicLong::get)
          .description(
              "Flushes the group stage is writing to FHIR at once on this replica (at most"
                  + " fhir.max-concurrent-writes)")
          .tag("connector", connector)
          .register(registry);
    }

    private Counter counter(String name, String description) {
      return Counter.builder(name)
          .description(description)
          .tag("connector", connector)
          .register(registry);
    }

    private Counter saved(String outcome) {
      return Counter.builder("iomt.fhir.resources.saved")
          .description("Observations written, by outcome (MedTech FhirResourceSaved)")
          .tag("connector", connector)
          .tag("outcome", outcome)
          .register(registry);
    }

    @Override
    public void incoming() {
      incoming.increment();
    }

    @Override
    public void normalized(int count) {
      if (count > 0) {
        normalized.increment();
        measurements.increment(count);
      }
    }

    @Override
    public void groups(int count) {
      groups.increment(count);
    }

    @Override
    public void saved(int c, int u, int n) {
      created.increment(c);
      updated.increment(u);
      unchanged.increment(n);
    }

    @Override
    public void error(IomtException error) {
      if (!error.isBlocking()) { // the message is skipped: it goes to the error topic
        Counter.builder("iomt.dead.letters")
            .description("Messages skipped and sent to the error topic, by stage")
            .tag("connector", connector)
            .tag("stage", error.stage().displayName())
            .register(registry)
            .increment();
      }
      Counter.builder("iomt.errors")
          .description("Errors by name, stage and severity (MedTech TotalErrors)")
          .tag("connector", connector)
          .tag("name", error.errorName())
          .tag("stage", error.stage().displayName())
          .tag("severity", error.severity())
          .register(registry)
          .increment();
    }

    @Override
    public void groupBuffer(long bytes, int inFlight) {
      bufferedBytes.set(bytes);
      flushesInFlight.set(inFlight);
    }

    @Override
    public void deadLettersForwarded(int count) {
      forwarded.increment(count);
    }

    @Override
    public void normalizeLatency(Duration sinceIngestion) {
      normalizeLatency.record(sinceIngestion.isNegative() ? Duration.ZERO : sinceIngestion);
    }

    @Override
    public void groupLatency(Duration sinceIngestion) {
      groupLatency.record(sinceIngestion.isNegative() ? Duration.ZERO : sinceIngestion);
    }

    @Override
    public void processedUpTo(StageName stage, int partition, Instant ingestion) {
      freshness
          .computeIfAbsent(
              stage + "/" + partition,
              k -> {
                AtomicLong last = new AtomicLong();
                Gauge.builder(
                        "iomt.event.freshness", last, l -> (clock.millis() - l.get()) / 1000.0)
                    .description(
                        "Seconds since the arrival of the newest message the stage has finished,"
                            + " per partition")
                    .baseUnit("seconds")
                    .tag("connector", connector)
                    .tag("stage", stage.id())
                    .tag("partition", Integer.toString(partition))
                    .register(registry);
                return last;
              })
          .accumulateAndGet(ingestion.toEpochMilli(), Math::max);
    }
  }
}
