package io.iomt.service.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;

/**
 * {@code iomt_ingest_messages_total{connector,outcome="accepted"}} and {@code
 * iomt_ingest_requests_refused_total{connector,outcome}} with bounded tags only: a connector name
 * from a request's path is a tag value only if it is configured (any other is {@code unknown}), and
 * the outcome is a {@link RefusalCode}. Thread-safe.
 */
final class IngestMetrics {
  static final String UNKNOWN_CONNECTOR = "unknown";

  private final MeterRegistry registry;
  private final Set<String> connectors;

  IngestMetrics(MeterRegistry registry, Set<String> connectors) {
    this.registry = registry;
    this.connectors = Set.copyOf(connectors);
  }

  void accepted(String connector, int messages) {
    counter("iomt.ingest.messages", connector, "accepted").increment(messages);
  }

  void refused(String connector, RefusalCode code) {
    counter("iomt.ingest.requests.refused", connector, code.code).increment();
  }

  private Counter counter(String name, String connector, String outcome) {
    return Counter.builder(name)
        .tag("connector", connectors.contains(connector) ? connector : UNKNOWN_CONNECTOR)
        .tag("outcome", outcome)
        .register(registry);
  }
}
