package io.iomt.service.console;

import io.iomt.pipeline.StageName;
import io.iomt.pipeline.StageStatus;
import io.iomt.service.ConnectorHealth;
import io.iomt.service.ConnectorRuntime;
import io.iomt.service.ConsumerLagMonitor;
import io.iomt.service.Redaction;
import io.iomt.service.ServiceConfiguration.ConnectorDefinition;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the console shows of the running connectors, made of what the service already knows: the
 * runtime's definitions and stage statuses, the health checks ({@link ConnectorHealth}), the meters
 * ({@link ConnectorCounts}) and the consumer lag ({@link ConsumerLagMonitor}; an Event Hubs
 * source's normalize lag from its {@code iomt.eventhubs.lag.events} gauges). Thread-safe; each
 * report asks the FHIR server (and the broker) at the time of the call.
 */
final class ConnectorReports {
  private final ConnectorRuntime runtime;
  private final ConnectorHealth health;
  private final MeterRegistry registry;
  private final ConsumerLagMonitor lagMonitor;

  ConnectorReports(
      ConnectorRuntime runtime,
      ConnectorHealth health,
      MeterRegistry registry,
      ConsumerLagMonitor lagMonitor) {
    this.runtime = runtime;
    this.health = health;
    this.registry = registry;
    this.lagMonitor = lagMonitor;
  }

  /** Every running connector, the configuration file's first. */
  List<ConnectorReport> all() {
    List<ConnectorReport> out = new ArrayList<>();
    for (ConnectorDefinition d : runtime.definitions()) {
      out.add(report(d));
    }
    return out;
  }

  /** Whether a connector of that name runs now. */
  boolean exists(String name) {
    return runtime.definition(name).isPresent();
  }

  /** The names of the connectors that run now. */
  List<String> names() {
    return runtime.definitions().stream().map(ConnectorDefinition::name).toList();
  }

  /** What the history samples of a connector now: counters and lag, no remote call. */
  ConnectorHistory.Reading reading(String name) {
    ConnectorCounts c = ConnectorCounts.read(registry, name);
    Map<StageName, Long> lag =
        runtime.definition(name).map(this::lag).orElseGet(() -> lagMonitor.lags(name));
    return new ConnectorHistory.Reading(
        c.messages(),
        c.measurements(),
        c.observations(),
        c.errors(),
        lag.get(StageName.NORMALIZE),
        lag.get(StageName.GROUP));
  }

  private ConnectorReport report(ConnectorDefinition d) {
    Map<StageName, StageStatus> stages = new LinkedHashMap<>();
    for (StageName stage : d.stages()) {
      stages.put(stage, runtime.status(d.name(), stage));
    }
    return report(
        d,
        runtime.fromConfiguration(d.name()),
        stages,
        health.source(d, stages.get(StageName.NORMALIZE)),
        health.fhir(d),
        ConnectorCounts.read(registry, d.name()),
        lag(d));
  }

  /** The lag of each stage measured so far. */
  private Map<StageName, Long> lag(ConnectorDefinition d) {
    Map<StageName, Long> lag = new LinkedHashMap<>(lagMonitor.lags(d.name()));
    if (!d.readsSourceTopic()) {
      var gauges = registry.find("iomt.eventhubs.lag.events").tag("connector", d.name()).gauges();
      if (!gauges.isEmpty()) {
        lag.put(
            StageName.NORMALIZE,
            Math.round(gauges.stream().mapToDouble(Gauge::value).filter(v -> v >= 0).sum()));
      }
    }
    return lag;
  }

  /** The JSON shape of one connector from what is known of it; pure. */
  static ConnectorReport report(
      ConnectorDefinition d,
      boolean fromConfiguration,
      Map<StageName, StageStatus> stages,
      ConnectorHealth.Check source,
      ConnectorHealth.Check fhir,
      ConnectorCounts counts,
      Map<StageName, Long> lag) {
    List<ConnectorReport.Stage> shownStages = new ArrayList<>();
    Map<String, Long> shownLag = new LinkedHashMap<>();
    for (var e : stages.entrySet()) {
      shownStages.add(stage(e.getKey(), e.getValue()));
      shownLag.put(e.getKey().id(), lag.get(e.getKey()));
    }
    return new ConnectorReport(
        d.name(),
        fromConfiguration ? "configuration" : "management",
        new ConnectorReport.Source(
            d.readsSourceTopic() ? "kafka" : "event-hubs",
            d.sourceDescription(),
            source.state().name(),
            Redaction.message(source.detail())),
        new ConnectorReport.Fhir(
            Redaction.bareUrl(d.destination().url()),
            fhir.state().name(),
            Redaction.message(fhir.detail())),
        shownStages,
        new ConnectorReport.Totals(
            counts.messages(),
            counts.measurements(),
            counts.observationsCreated(),
            counts.observationsUpdated(),
            counts.deadLetters()),
        counts.errorsByName(),
        shownLag);
  }

  private static ConnectorReport.Stage stage(StageName name, StageStatus status) {
    if (status instanceof StageStatus.Blocked b) {
      return new ConnectorReport.Stage(
          name.id(),
          b.state(),
          b.errorName(),
          Redaction.message(b.message()),
          Optional.ofNullable(b.retryAt()).map(Object::toString).orElse(null));
    }
    if (status instanceof StageStatus.Failed f) {
      return new ConnectorReport.Stage(
          name.id(),
          f.state(),
          f.errorName(),
          Redaction.message(f.message()),
          Optional.ofNullable(f.retryAt()).map(Object::toString).orElse(null));
    }
    if (status instanceof StageStatus.Stopped s) {
      return new ConnectorReport.Stage(
          name.id(), s.state(), null, Redaction.message(s.reason()), null);
    }
    return new ConnectorReport.Stage(name.id(), status.state(), null, null, null);
  }
}
