package io.iomt.service.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Predicate;

/**
 * {@code iomt_ingest_messages_total{connector,outcome="accepted"}} and {@code
 * iomt_ingest_requests_refused_total{connector,outcome}} with bounded tags only: a connector name
 * from a request's path is a tag value only if such a connector runs when the request is counted
 * (any other is {@code unknown}: connectors come and go at run time), and the outcome is a {@link
 * RefusalCode}. Thread-safe.
 */
final class IngestMetrics {
  static final String UNKNOWN_CONNECTOR = "unknown";

  private final MeterRegistry registry;
  private final Predicate<String> known;

  /**
   * @param known whether a connector of that name runs now (e.g. {@code
   *     ConnectorRuntime#definition}); thread-safe
   */
  IngestMetrics(MeterRegistry registry, Predicate<String> known) {
    this.registry = registry;
    this.known = known;
  }

  void accepted(String connector, int messages) {
    counter("iomt.ingest.messages", connector, "accepted").increment(messages);
  }

  void refused(String connector, RefusalCode code) {
    counter("iomt.ingest.requests.refused", connector, code.code).increment();
  }

  private Counter counter(String name, String connector, String outcome) {
    return Counter.builder(name)
        .tag("connector", known.test(connector) ? connector : UNKNOWN_CONNECTOR)
        .tag("outcome", outcome)
        .register(registry);
  }
}
