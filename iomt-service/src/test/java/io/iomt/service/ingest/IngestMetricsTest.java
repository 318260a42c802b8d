package io.iomt.service.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IngestMetricsTest {
  @Test
  void aThousandUnknownConnectorNamesAddOneMeterTaggedUnknown() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    IngestMetrics metrics = new IngestMetrics(registry, Set.of("test")::contains);
    for (int i = 0; i < 1000; i++) {
      metrics.refused("c" + UUID.randomUUID(), RefusalCode.UNKNOWN_CONNECTOR);
    }
    assertThat(registry.getMeters()).hasSize(1);
    assertThat(
            registry
                .get("iomt.ingest.requests.refused")
                .tag("connector", "unknown")
                .tag("outcome", "UnknownConnector")
                .counter()
                .count())
        .isEqualTo(1000);
  }

  @Test
  void aConfiguredConnectorIsItsOwnTagAndOutcomesAreRefusalCodes() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    IngestMetrics metrics = new IngestMetrics(registry, Set.of("test")::contains);
    metrics.accepted("test", 3);
    metrics.refused("test", RefusalCode.TOO_MANY_MESSAGES);
    assertThat(
            registry
                .get("iomt.ingest.messages")
                .tag("connector", "test")
                .tag("outcome", "accepted")
                .counter()
                .count())
        .isEqualTo(3);
    assertThat(
            registry
                .get("iomt.ingest.requests.refused")
                .tag("outcome", "TooManyMessages")
                .counter()
                .count())
        .isEqualTo(1);
  }
}
