package io.iomt.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.iomt.benchmarks.e2e.LoadGenerator.ConnectorResult;
import io.iomt.benchmarks.e2e.LoadGenerator.Latency;
import io.iomt.benchmarks.e2e.LoadGenerator.PlainResult;
import io.iomt.benchmarks.e2e.LoadGenerator.Report;
import io.iomt.benchmarks.e2e.LoadGenerator.Round;
import io.iomt.benchmarks.e2e.LoadGenerator.Settings;
import io.iomt.embedded.kafka.EmbeddedKafkaBroker;
import io.iomt.pipeline.FlushPolicy;
import io.iomt.testkit.HapiFhirServer;
import io.iomt.testkit.InMemoryFhirServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator end to end at a tiny scale, on a real broker and a real HAPI server: both
 * phases write every Observation (the generator itself checks the server's count and the
 * connector's exact ids), and the rates, the ratio and the percentiles come from what was measured.
 * No timing is asserted.
 */
class LoadGeneratorIT {
  static final Path SAMPLES = Path.of("").toAbsolutePath().getParent().resolve("samples");

  @Test
  void runsBothPhasesAndComputesTheRatioAndPercentilesFromMeasuredNumbers(@TempDir Path dir)
      throws Exception {
    Settings settings =
        new Settings(
            240, 6, 2, new FlushPolicy(40, Duration.ofMillis(300)), 40, 40, 1, 0, true, SAMPLES);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Report report;
    HapiFhirServer server = HapiFhirServer.shared();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir)) {
      report =
          LoadGenerator.run(
              settings, broker, server, new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    assertThat(report.rounds()).singleElement();
    Round round = report.rounds().get(0);
    assertThat(round.connectorFirst()).isTrue();

    ConnectorResult c = round.connector();
    assertThat(c.messages()).isEqualTo(240);
    assertThat(c.observations()).isEqualTo(240);
    assertThat(c.idsFound()).isEqualTo(240);
    assertThat(c.fhirCount()).isEqualTo(240 + 40);
    assertThat(c.seconds()).isPositive();
    assertThat(c.flushes()).isPositive();
    assertThat(c.fhirRequests())
        .as("at least one write per flush (new data is written without a read first)")
        .isGreaterThanOrEqualTo(c.flushes())
        .as("identities resolved in batches, not one search per device")
        .isLessThan(2 * c.flushes() + 6);
    assertThat(c.observationsPerSecond()).isCloseTo(240 / c.seconds(), within(1e-6));

    PlainResult p = round.plain();
    assertThat(p.observations()).isEqualTo(240);
    assertThat(p.fhirCount()).isEqualTo(240);
    assertThat(p.bundles())
        .as("bundles of at most 40 per partition")
        .isGreaterThanOrEqualTo(240 / 40);
    assertThat(p.fhirRequests()).isEqualTo(p.bundles());
    assertThat(p.seconds()).isPositive();

    assertThat(round.ratio())
        .isCloseTo(c.observationsPerSecond() / p.observationsPerSecond(), within(1e-9));
    assertThat(report.medianRatio()).isEqualTo(round.ratio());

    Latency l = c.latency();
    assertThat(l.messages()).isEqualTo(40);
    assertThat(l.samples()).as("one latency per measurement of the latency phase").isEqualTo(40);
    assertThat(l.p50Millis()).isPositive();
    assertThat(l.p50Millis()).isLessThanOrEqualTo(l.p99Millis());
    assertThat(l.p99Millis()).isLessThanOrEqualTo(l.maxMillis());

    assertThat(c.identityLookups()).isEqualTo(6);
    assertThat(c.identityLookupSeconds()).isPositive();
    assertThat(round.diagnostics())
        .containsOnlyKeys(PlainLoader.Read.BATCH_GET, PlainLoader.Read.ID_SEARCH);
    assertThat(round.diagnostics().get(PlainLoader.Read.BATCH_GET).fhirRequests())
        .as("a batch read before each bundle")
        .isEqualTo(2 * p.bundles());
    assertThat(round.diagnostics().get(PlainLoader.Read.ID_SEARCH).fhirRequests())
        .as("one search (finding nothing) before each bundle")
        .isEqualTo(2 * p.bundles());
    assertThat(round.diagnostics().values())
        .allSatisfy(d -> assertThat(d.fhirCount()).isEqualTo(240));

    assertThat(c.cpu().processCpuSeconds()).isPositive();
    assertThat(p.cpu().processCpuSeconds()).isPositive();

    String table = LoadGenerator.table(report);
    System.out.print(log.toString(StandardCharsets.UTF_8) + table);
    assertThat(table).contains("median ratio connector/plain: ");
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("ratio connector/plain: ");
  }

  @Test
  void coldStartAgainstTheInMemoryServerBehindTheLatencyProxyCreatesEveryIdentityAndCountsRequests(
      @TempDir Path dir) throws Exception {
    Settings settings =
        new Settings(
            120,
            6,
            2,
            new FlushPolicy(40, Duration.ofMillis(300)),
            40,
            20,
            1,
            0,
            false,
            SAMPLES,
            FhirTarget.Kind.MEMORY,
            20,
            2,
            true);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Report report;
    try (InMemoryFhirServer server = InMemoryFhirServer.start();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir);
        FhirTarget target = FhirTarget.of(server, Duration.ofMillis(20))) {
      report =
          LoadGenerator.run(
              settings, broker, target, new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    assertThat(report.connectorConcurrency())
        .as("--concurrency reaches the connector's group stage")
        .isEqualTo(settings.concurrency());
    ConnectorResult cold = report.cold();
    assertThat(cold.identities()).isEqualTo(LoadGenerator.Identities.NEW);
    assertThat(cold.observations()).isEqualTo(120);
    assertThat(cold.idsFound()).isEqualTo(120);
    assertThat(cold.fhirRequests())
        .as(
            "the cold start searches, then creates its 6 Patients and 6 Devices in batches,"
                + " besides a write per flush")
        .isGreaterThanOrEqualTo(cold.flushes() + 3)
        .as("not 4 requests per new device")
        .isLessThan(cold.flushes() * 2 + 4 * 6);
    assertThat(cold.serverRequests())
        .as("the proxy saw what the connector sent")
        .isEqualTo(cold.fhirRequests());
    assertThat(cold.latency()).isNull();

    Round round = report.rounds().get(0);
    ConnectorResult warm = round.connector();
    assertThat(warm.identities()).isEqualTo(LoadGenerator.Identities.CACHED);
    assertThat(warm.idsFound()).isEqualTo(120);
    assertThat(warm.fhirCount()).isEqualTo(120 + 20);
    assertThat(warm.fhirRequests())
        .as("identities cached: reads and writes only, at most two per chunk")
        .isLessThan(cold.fhirRequests());
    assertThat(warm.latency().samples()).isEqualTo(20);
    assertThat(round.plain().observations()).isEqualTo(120);
    assertThat(round.plain().fhirRequests()).isEqualTo(round.plain().bundles());
    assertThat(report.coldOverWarm()).isCloseTo(cold.seconds() / warm.seconds(), within(1e-9));
    assertThat(warm.cpu().connectorSeconds())
        .as("the connector's CPU leaves the FHIR server's out")
        .isLessThanOrEqualTo(
            warm.cpu().processCpuSeconds()
                - warm.cpu().byCategorySeconds().get(CpuBreakdown.FHIR_SERVER));

    String table = LoadGenerator.table(report);
    System.out.print(log.toString(StandardCharsets.UTF_8) + table);
    assertThat(table)
        .contains("cold/warm time")
        .contains("concurrency: plain loader 2, connector 2");
  }

  @Test
  void optionsOverrideTheDefaults() {
    Settings s =
        LoadGenerator.parse(
            new String[] {"--messages=1_000", "--flush-events=100", "--samples=" + SAMPLES});
    assertThat(s.messages()).isEqualTo(1000);
    assertThat(s.flush()).isEqualTo(new FlushPolicy(100, Duration.ofMillis(1000)));
    assertThat(s.bundleSize()).isEqualTo(100);
    assertThat(s.devices()).isEqualTo(100);
    assertThat(s.partitions()).isEqualTo(4);
    assertThat(LoadGenerator.parse(new String[0]).bundleSize()).isEqualTo(500);
    Settings defaults = LoadGenerator.parse(new String[0]);
    assertThat(defaults.fhir()).isEqualTo(FhirTarget.Kind.JPA);
    assertThat(defaults.latencyMs()).isZero();
    assertThat(defaults.concurrency()).isEqualTo(1);
    assertThat(defaults.cold()).isFalse();
    Settings fast =
        LoadGenerator.parse(
            new String[] {"--fhir=memory", "--latency-ms=50", "--concurrency=4", "--cold"});
    assertThat(fast.fhir()).isEqualTo(FhirTarget.Kind.MEMORY);
    assertThat(fast.latencyMs()).isEqualTo(50);
    assertThat(fast.concurrency()).isEqualTo(4);
    assertThat(fast.cold()).isTrue();
  }
}
