package io.iomt.service.console;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One connector's counters on this replica since it started, read from the meters the service
 * registers ({@code ServiceMetrics}): {@code iomt.incoming.messages}, {@code iomt.measurements},
 * {@code iomt.fhir.resources.saved{outcome}}, {@code iomt.dead.letters} and {@code
 * iomt.errors{name}}. A connector without meters (not started, or removed) reads all zero.
 *
 * @param messages device messages the normalize stage read
 * @param measurements measurements normalized
 * @param observationsCreated Observations the FHIR server created
 * @param observationsUpdated Observations the FHIR server updated
 * @param observationsUnchanged Observations written again unchanged (a replay)
 * @param deadLetters messages a non-blocking error sent to the error topic
 * @param errorsByName errors (blocking ones included, each retry counted) by MedTech error name,
 *     sorted by name; unmodifiable
 */
record ConnectorCounts(
    long messages,
    long measurements,
    long observationsCreated,
    long observationsUpdated,
    long observationsUnchanged,
    long deadLetters,
    Map<String, Long> errorsByName) {

  ConnectorCounts {
    errorsByName = Collections.unmodifiableMap(new TreeMap<>(errorsByName));
  }

  /** All errors of every name. */
  long errors() {
    return errorsByName.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Observations written (created or updated). */
  long observations() {
    return observationsCreated + observationsUpdated;
  }

  /** The connector's counters now; thread-safe (the registry is). */
  static ConnectorCounts read(MeterRegistry registry, String connector) {
    Map<String, Long> errors = new TreeMap<>();
    for (Counter c : registry.find("iomt.errors").tag("connector", connector).counters()) {
      errors.merge(c.getId().getTag("name"), Math.round(c.count()), Long::sum);
    }
    return new ConnectorCounts(
        sum(registry, "iomt.incoming.messages", connector, null),
        sum(registry, "iomt.measurements", connector, null),
        sum(registry, "iomt.fhir.resources.saved", connector, "created"),
        sum(registry, "iomt.fhir.resources.saved", connector, "updated"),
        sum(registry, "iomt.fhir.resources.saved", connector, "noop"),
        sum(registry, "iomt.dead.letters", connector, null),
        errors);
  }

  private static long sum(MeterRegistry registry, String name, String connector, String outcome) {
    var search = registry.find(name).tag("connector", connector);
    if (outcome != null) {
      search = search.tag("outcome", outcome);
    }
    return Math.round(search.counters().stream().mapToDouble(Counter::count).sum());
  }
}
