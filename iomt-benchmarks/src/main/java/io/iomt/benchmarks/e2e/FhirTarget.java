package io.iomt.benchmarks.e2e;

import io.iomt.testkit.FaultInjectingProxy;
import io.iomt.testkit.HapiFhirServer;
import io.iomt.testkit.InMemoryFhirServer;
import java.time.Duration;
import java.util.Locale;

/**
 * The FHIR server a load run writes to: the testkit's HAPI FHIR JPA server or its in-memory one,
 * optionally behind the testkit's {@link FaultInjectingProxy} with a fixed added latency per
 * request. Everything the load generator and the connector send goes to {@link #baseUrl()}.
 *
 * <p>Closing it closes the proxy, not the server (the caller started it). One thread uses it.
 */
final class FhirTarget implements AutoCloseable {
  /** Which server: {@code --fhir=jpa|memory}. */
  enum Kind {
    JPA,
    MEMORY;

    static Kind parse(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "jpa" -> JPA;
        case "memory" -> MEMORY;
        default ->
            throw new IllegalArgumentException("--fhir is jpa or memory, not '" + value + "'");
      };
    }
  }

  private final HapiFhirServer jpa;
  private final InMemoryFhirServer memory;
  private final FaultInjectingProxy proxy;

  private FhirTarget(HapiFhirServer jpa, InMemoryFhirServer memory, Duration latency) {
    this.jpa = jpa;
    this.memory = memory;
    String upstream = jpa != null ? jpa.baseUrl() : memory.baseUrl();
    if (latency.isZero()) {
      this.proxy = null;
    } else {
      this.proxy = FaultInjectingProxy.start(upstream);
      this.proxy.setLatency(latency);
    }
  }

  /** The JPA server, behind a proxy adding {@code latency} unless it is zero. */
  static FhirTarget of(HapiFhirServer server, Duration latency) {
    return new FhirTarget(server, null, latency);
  }

  /** The in-memory server, behind a proxy adding {@code latency} unless it is zero. */
  static FhirTarget of(InMemoryFhirServer server, Duration latency) {
    return new FhirTarget(null, server, latency);
  }

  Kind kind() {
    return jpa != null ? Kind.JPA : Kind.MEMORY;
  }

  /** Where clients send their requests: the proxy's URL when there is one. */
  String baseUrl() {
    return proxy != null ? proxy.baseUrl() : jpa != null ? jpa.baseUrl() : memory.baseUrl();
  }

  Duration latency() {
    return proxy == null ? Duration.ZERO : proxy.latency();
  }

  /** Deletes every resource on the server. */
  void reset() {
    if (jpa != null) {
      jpa.reset();
    } else {
      memory.reset();
    }
  }

  /**
   * Requests the proxy forwarded or the in-memory server served so far; -1 for the JPA server
   * without a proxy (nothing counts there).
   */
  long serverRequests() {
    if (proxy != null) {
      return proxy.requestCount();
    }
    return memory != null ? memory.requestCount() : -1;
  }

  /** Forgets the proxy's recorded requests (it keeps one record per request). */
  void resetCounts() {
    if (proxy != null) {
      proxy.resetCounts();
    }
    if (memory != null) {
      memory.resetCounts();
    }
  }

  String describe() {
    return (jpa != null ? "HAPI FHIR JPA (H2 in memory)" : "in-memory HAPI plain server")
        + (proxy == null ? "" : ", behind the latency proxy (+" + latency().toMillis() + " ms)");
  }

  @Override
  public void close() {
    if (proxy != null) {
      proxy.close();
    }
  }
}
