package io.iomt.benchmarks.e2e;

import com.github.benmanes.caffeine.cache.Ticker;
import io.iomt.core.envelope.MessageLimits;
import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.mapping.DeviceMapping;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.observation.GroupKey;
import io.iomt.core.observation.Grouper;
import io.iomt.core.observation.ObservationFactory;
import io.iomt.core.observation.ObservationFactory.Subject;
import io.iomt.core.observation.ObservationGroup;
import io.iomt.embedded.kafka.EmbeddedKafkaBroker;
import io.iomt.fhir.FhirDestination;
import io.iomt.fhir.FhirResources;
import io.iomt.fhir.identity.IdentityResolver;
import io.iomt.fhir.identity.Resolution;
import io.iomt.fhir.identity.ResolutionType;
import io.iomt.fhir.write.FhirObservationWriter;
import io.iomt.fhir.write.ObservationWriter;
import io.iomt.pipeline.Connector;
import io.iomt.pipeline.FlushPolicy;
import io.iomt.pipeline.KafkaClients;
import io.iomt.testkit.HapiFhirServer;
import io.iomt.testkit.InMemoryFhirServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.hl7.fhir.r4.model.Observation;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;

/**
 * End-to-end load: device messages on a real (embedded KRaft) Kafka broker through a real {@link
 * Connector} into a real HAPI FHIR JPA server (the testkit's, in process, H2 in memory), compared
 * in the same run with a plain loader that writes the same Observations straight to the same
 * server.
 *
 * <p>Each round has two phases, in alternating order (odd rounds connector first), each starting
 * from an emptied server ({@link HapiFhirServer#reset()}) whose Patients and Devices were created
 * beforehand, untimed, with the connector's own {@link IdentityResolver} (so both phases write into
 * an equally filled database, and neither pays for creating identities):
 *
 * <ol>
 *   <li><b>Connector.</b> {@code messages} heart-rate messages of {@code devices} devices are
 *       produced to the source topic ({@code partitions} partitions), then a connector starts.
 *       Throughput is measured from the first message it reads to the FHIR server's acknowledgement
 *       of the last Observation. Then, with the connector still running (identity caches warm),
 *       {@code latencyMessages} more readings of the same devices are produced at {@code
 *       latencyRate} messages/s and the latency of each (Kafka record timestamp to the FHIR
 *       server's acceptance of its flush, {@link io.iomt.pipeline.StageMetrics#groupLatency}) goes
 *       into a histogram. Finally the server's Observation count is checked, and that it holds the
 *       exact Observation ids the core computes for the throughput data.
 *   <li><b>Plain loader.</b> The same messages with other device ids (an equal-length prefix) are
 *       normalized with the same mapping, grouped with {@link Grouper} and built with {@link
 *       ObservationFactory} per partition of the normalized topic, untimed; then {@link
 *       PlainLoader} writes them (timed) in batch Bundles of the size the connector writes (the
 *       writer's 500, or the flush size if smaller), from one thread: the connector's group stage
 *       also writes every partition's flushes from its one thread.
 * </ol>
 *
 * <p>The ratio is connector Observations/s over plain Observations/s. A warm-up round (not
 * reported) runs both phases first, so that neither pays for the JIT alone.
 *
 * <pre>
 * mvn -q -o install -DskipTests -pl iomt-core,iomt-testkit,iomt-embedded-kafka,iomt-fhir,iomt-pipeline
 * mvn -q -o -pl iomt-benchmarks compile    # also writes target/e2e.classpath
 * java -Xmx3g -cp iomt-benchmarks/target/classes:$(cat iomt-benchmarks/target/e2e.classpath) \
 *   io.iomt.benchmarks.e2e.LoadGenerator --diagnose=true
 * </pre>
 *
 * <p>Options (defaults): {@code --messages=10000 --devices=100 --partitions=4 --flush-events=500
 * --flush-age-ms=1000 --rate=20 --latency-messages=1200 --rounds=2 --warmup=4000 --diagnose=false
 * --samples=samples} (the directory with {@code device-mapping.json} and {@code fhir-mapping.json};
 * {@code samples} or {@code ../samples} is found by itself). The latency rate must be below what
 * the connector sustains on the machine, or the latency only measures a growing backlog. {@code
 * --diagnose=true} adds the plain loader with reads before its writes to each round.
 *
 * <p>More options (defaults keep the runs above): {@code --fhir=jpa|memory} (the JPA server, or the
 * testkit's {@link InMemoryFhirServer}, which costs little CPU, so the connector's own cost shows);
 * {@code --latency-ms=0} (N &gt; 0 puts the testkit's {@link io.iomt.testkit.FaultInjectingProxy}
 * with N ms added per request between every client and the server); {@code --concurrency=1} (the
 * plain loader writes from N threads, N requests in flight; the connector gets N as its maximum of
 * concurrent FHIR writes through {@link #connectorConcurrency}); {@code --cold} (before the
 * warm-up, a connector phase on {@code devices} new devices whose Patients and Devices do not
 * exist, with empty caches, as the first work of the JVM; then the rounds' connector phases start
 * with their identities cached, and the report gives the cold over warm time). Each connector phase
 * reports its CPU per message without the FHIR server, proxy and load generator threads, by stage,
 * and its FHIR requests per 1,000 measurements (at its client, and at the proxy or in-memory
 * server).
 */
public final class LoadGenerator {
  /** Settings of one run. */
  public record Settings(
      int messages,
      int devices,
      int partitions,
      FlushPolicy flush,
      int latencyRate,
      int latencyMessages,
      int rounds,
      int warmupMessages,
      boolean diagnose,
      Path samples,
      FhirTarget.Kind fhir,
      int latencyMs,
      int concurrency,
      boolean cold) {

    /** The original settings: the JPA server, no added latency, one request at a time, warm. */
    public Settings(
        int messages,
        int devices,
        int partitions,
        FlushPolicy flush,
        int latencyRate,
        int latencyMessages,
        int rounds,
        int warmupMessages,
        boolean diagnose,
        Path samples) {
      this(
          messages,
          devices,
          partitions,
          flush,
          latencyRate,
          latencyMessages,
          rounds,
          warmupMessages,
          diagnose,
          samples,
          FhirTarget.Kind.JPA,
          0,
          1,
          false);
    }

    /** Observations per Bundle: the connector writer's chunk size, or the flush size if smaller. */
    public int bundleSize() {
      return Math.min(flush.maxEvents(), FhirObservationWriter.Config.DEFAULT.maxEntries());
    }
  }

  /** The latency part of a connector phase. */
  public record Latency(
      int targetRate,
      long messages,
      double achievedRate,
      long samples,
      double p50Millis,
      double p99Millis,
      double maxMillis,
      double drainSeconds,
      long flushes,
      long fhirRequests) {}

  /** The connector's phase of a round. */
  public record ConnectorResult(
      long messages,
      long observations,
      double seconds,
      long flushes,
      long fhirRequests,
      long fhirCount,
      long idsFound,
      CpuBreakdown.Result cpu,
      Latency latency,
      int identityLookups,
      double identityLookupSeconds,
      long serverRequests,
      Identities identities) {
    public double messagesPerSecond() {
      return messages / seconds;
    }

    public double observationsPerSecond() {
      return observations / seconds;
    }
  }

  /** The plain loader's phase of a round. */
  public record PlainResult(
      long observations,
      double seconds,
      long bundles,
      long fhirRequests,
      long fhirCount,
      CpuBreakdown.Result cpu) {
    public double observationsPerSecond() {
      return observations / seconds;
    }
  }

  /**
   * One round: both phases and their ratio, and with {@code --diagnose=true} the plain loader again
   * with each {@link PlainLoader.Read} before its writes (not part of the ratio).
   */
  public record Round(
      String name,
      boolean connectorFirst,
      ConnectorResult connector,
      PlainResult plain,
      Map<PlainLoader.Read, PlainResult> diagnostics) {
    public double ratio() {
      return connector.observationsPerSecond() / plain.observationsPerSecond();
    }
  }

  /**
   * What a run measured: the rounds, and with {@code --cold} the cold connector phase run first.
   *
   * @param connectorConcurrency the FHIR requests the connector had in flight at most
   * @param cold the cold start's connector phase, or null without {@code --cold}
   */
  public record Report(
      Settings settings, int connectorConcurrency, ConnectorResult cold, List<Round> rounds) {
    public double medianRatio() {
      return median(rounds.stream().mapToDouble(Round::ratio).toArray());
    }

    /** Cold-start time over the median warm time of the connector for the same message count. */
    public double coldOverWarm() {
      return cold == null
          ? Double.NaN
          : cold.seconds()
              / median(rounds.stream().mapToDouble(r -> r.connector().seconds()).toArray());
    }

    private static double median(double[] values) {
      double[] r = values.clone();
      java.util.Arrays.sort(r);
      return r.length == 0
          ? Double.NaN
          : r.length % 2 == 1 ? r[r.length / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2;
    }
  }

  /** What the connector finds of its devices' Patients and Devices when it starts. */
  public enum Identities {
    /** Created beforehand (untimed); the connector's identity cache is empty: one search each. */
    EXISTING,
    /** Created beforehand and already in the connector's identity cache (untimed): warm. */
    CACHED,
    /** Nothing exists: the connector creates every Patient and Device (a cold start). */
    NEW
  }

  private final Settings settings;
  private final EmbeddedKafkaBroker broker;
  private final FhirTarget server;
  private final DeviceMapping deviceMapping;
  private final FhirMapping fhirMapping;
  private final ObservationFactory factory = new ObservationFactory(Clock.systemUTC());
  private final PlainLoader fhir;
  private final PrintStream log;

  private LoadGenerator(
      Settings settings, EmbeddedKafkaBroker broker, FhirTarget server, PrintStream log)
      throws IOException {
    this.settings = settings;
    this.broker = broker;
    this.server = server;
    this.log = log;
    this.deviceMapping =
        DeviceMapping.parse(Files.readAllBytes(settings.samples().resolve("device-mapping.json")));
    this.fhirMapping =
        FhirMapping.parse(Files.readAllBytes(settings.samples().resolve("fhir-mapping.json")));
    this.fhir = new PlainLoader(server.baseUrl());
  }

  /**
   * Runs the warm-up and the rounds on a started broker and JPA server, behind the latency proxy if
   * the settings ask for latency; progress goes to {@code log}.
   */
  public static Report run(
      Settings settings, EmbeddedKafkaBroker broker, HapiFhirServer server, PrintStream log)
      throws IOException, InterruptedException {
    try (FhirTarget target = FhirTarget.of(server, Duration.ofMillis(settings.latencyMs()))) {
      return run(settings, broker, target, log);
    }
  }

  /**
   * Runs the cold phase ({@code --cold}), the warm-up and the rounds on a started broker against
   * {@code target}; progress goes to {@code log}.
   */
  static Report run(
      Settings settings, EmbeddedKafkaBroker broker, FhirTarget target, PrintStream log)
      throws IOException, InterruptedException {
    LoadGenerator g = new LoadGenerator(settings, broker, target, log);
    log.printf(
        Locale.ROOT,
        "FHIR: %s; plain loader concurrency %d, connector concurrency %d (requested %d)%n",
        target.describe(),
        settings.concurrency(),
        connectorConcurrencyApplied(settings.concurrency()),
        settings.concurrency());
    ConnectorResult cold = null;
    if (settings.cold()) {
      log.printf(
          Locale.ROOT,
          "cold start: %d messages of %d new devices, empty caches, first phase of this JVM%n",
          settings.messages(),
          settings.devices());
      cold =
          g.connectorPhase(
              "cold",
              new Workload("e2e-cold", settings.devices(), 0, settings.messages()),
              0,
              Identities.NEW);
      log.println(describe("cold start", cold));
    }
    if (settings.warmupMessages() > 0) {
      log.printf(Locale.ROOT, "warm-up round: %d messages per phase%n", settings.warmupMessages());
      g.round(
          "w0", true, settings.warmupMessages(), Math.min(settings.latencyMessages(), 500), false);
    }
    List<Round> rounds = new ArrayList<>();
    for (int r = 1; r <= settings.rounds(); r++) {
      rounds.add(
          g.round(
              String.format(Locale.ROOT, "r%d", r),
              r % 2 == 1,
              settings.messages(),
              settings.latencyMessages(),
              settings.diagnose()));
      log.println(describe(rounds.get(rounds.size() - 1)));
    }
    return new Report(settings, connectorConcurrencyApplied(settings.concurrency()), cold, rounds);
  }

  private Round round(
      String name, boolean connectorFirst, int messages, int latencyMessages, boolean diagnose)
      throws InterruptedException {
    Workload connectorData = new Workload("e2e-" + name + "c", settings.devices(), 0, messages);
    Workload plainData = new Workload("e2e-" + name + "p", settings.devices(), 0, messages);
    ConnectorResult c;
    PlainResult p;
    Identities identities = settings.cold() ? Identities.CACHED : Identities.EXISTING;
    if (connectorFirst) {
      c = connectorPhase(name, connectorData, latencyMessages, identities);
      p = plainPhase(plainData, PlainLoader.Read.NONE);
    } else {
      p = plainPhase(plainData, PlainLoader.Read.NONE);
      c = connectorPhase(name, connectorData, latencyMessages, identities);
    }
    Map<PlainLoader.Read, PlainResult> diagnostics = new EnumMap<>(PlainLoader.Read.class);
    if (diagnose) {
      for (PlainLoader.Read read :
          List.of(PlainLoader.Read.BATCH_GET, PlainLoader.Read.ID_SEARCH)) {
        String prefix = "e2e-" + name + (read == PlainLoader.Read.BATCH_GET ? "g" : "s");
        diagnostics.put(
            read, plainPhase(new Workload(prefix, settings.devices(), 0, messages), read));
      }
    }
    return new Round(name, connectorFirst, c, p, diagnostics);
  }

  // ---- connector phase -------------------------------------------------------------------------

  private ConnectorResult connectorPhase(
      String name, Workload data, int latencyMessages, Identities identities)
      throws InterruptedException {
    Prepared prepared;
    if (identities == Identities.NEW) {
      server.reset();
      prepared = new Prepared(Map.of(), 0);
    } else {
      prepared = prepareServer(data);
    }
    Connector.Topics topics =
        new Connector.Topics(
            "e2e-" + name + "-events", "e2e-" + name + "-normalized", "e2e-" + name + "-errors");
    broker.createTopic(topics.source(), settings.partitions());
    log.printf(Locale.ROOT, "%s connector: producing %d messages%n", name, data.count());
    try (KafkaProducer<byte[], byte[]> producer = producer(20)) {
      List<Future<RecordMetadata>> sends = new ArrayList<>(data.count());
      for (int i = 0; i < data.count(); i++) {
        sends.add(producer.send(record(topics.source(), data, i)));
      }
      producer.flush();
      await(sends);
    }

    // FhirDestination.writer's assembly, keeping a handle on the HTTP client to count requests.
    FhirResources resources =
        FhirDestination.of(server.baseUrl(), ResolutionType.CREATE).resources();
    IdentityResolver resolver =
        new IdentityResolver(
            resources, IdentityResolver.Config.of(ResolutionType.CREATE), Ticker.systemTicker());
    if (identities == Identities.CACHED) {
      for (int d = 0; d < data.devices(); d++) {
        resolver.resolve(data.key(d));
      }
    }
    ObservationWriter writer =
        new FhirObservationWriter(
            resources,
            resolver,
            new ObservationFactory(Clock.systemUTC()),
            FhirObservationWriter.Config.DEFAULT,
            Ticker.systemTicker());
    Connector.Settings cs =
        connectorConcurrency(connectorSettings("e2e-" + name, topics), settings.concurrency());
    E2eMetrics metrics = new E2eMetrics();
    long serverRequestsBefore = server.serverRequests();
    long clientRequestsBefore = resources.http().requestCount();
    KafkaClients clients = new KafkaClients(Map.of("bootstrap.servers", broker.bootstrapServers()));
    long n = data.count();
    CpuBreakdown.Snapshot before = CpuBreakdown.snapshot();
    CpuBreakdown.Result cpu;
    double seconds;
    long saved;
    long flushes;
    long requests;
    long serverRequests;
    Latency latency = null;
    try (Connector connector =
        Connector.start(cs, clients, () -> writer, metrics, Clock.systemUTC())) {
      log.printf(Locale.ROOT, "%s connector: started %s%n", name, connector.settings().name());
      metrics.awaitSaved(n, timeout(n));
      cpu = CpuBreakdown.between(before, CpuBreakdown.snapshot());
      seconds = (metrics.lastSavedNanos() - metrics.firstIncomingNanos()) / 1e9;
      saved = metrics.saved();
      flushes = metrics.flushes();
      requests = resources.http().requestCount() - clientRequestsBefore;
      serverRequests = server.serverRequests() - serverRequestsBefore;
      if (latencyMessages > 0) {
        latency =
            latencyRun(
                topics.source(),
                data.next(latencyMessages),
                metrics,
                n,
                () -> resources.http().requestCount());
      }
    }
    long expectedIds = n;
    Map<String, Subject> subjects =
        identities == Identities.NEW ? resolveUntimed(data) : prepared.subjects();
    List<String> ids = new ArrayList<>();
    for (List<ObservationGroup> partition : groupsByPartition(data)) {
      for (ObservationGroup g : partition) {
        ids.add(factory.resourceId(g, subjects.get(g.key().deviceId())));
      }
    }
    long count = fhir.count("Observation");
    long found = fhir.existing(ids);
    if (count != n + latencyMessages || found != expectedIds) {
      throw new IllegalStateException(
          "the server holds "
              + count
              + " Observations ("
              + found
              + " of the "
              + expectedIds
              + " expected ids), expected "
              + (n + latencyMessages));
    }
    return new ConnectorResult(
        n,
        saved,
        seconds,
        flushes,
        requests,
        count,
        found,
        cpu,
        latency,
        identities == Identities.EXISTING ? data.devices() : 0,
        prepared.lookupSeconds(),
        serverRequests,
        identities);
  }

  /**
   * The connector's settings of a phase: the service's defaults (poll 200 ms, backoff 1 s to 30 s)
   * with this run's partitions, flush policy and mappings.
   */
  private Connector.Settings connectorSettings(String name, Connector.Topics topics) {
    return new Connector.Settings(
        name,
        topics,
        settings.partitions(),
        deviceMapping,
        fhirMapping,
        MessageLimits.DEFAULTS,
        settings.flush(),
        Duration.ofMillis(200),
        Duration.ofSeconds(1),
        Duration.ofSeconds(30));
  }

  /**
   * THE ONE PLACE where {@code --concurrency} reaches the connector: its group stage's maximum of
   * FHIR writes in flight ({@code iomt.connectors.<name>.fhir.max-concurrent-writes}).
   */
  static Connector.Settings connectorConcurrency(Connector.Settings s, int n) {
    return new Connector.Settings(
        s.name(),
        s.topics(),
        s.partitions(),
        s.deviceMapping(),
        s.fhirMapping(),
        s.limits(),
        s.flush(),
        s.pollTimeout(),
        s.initialBackoff(),
        s.maxBackoff(),
        n);
  }

  /** The FHIR writes the connector has in flight at most with {@code --concurrency=n}. */
  static int connectorConcurrencyApplied(int n) {
    return n;
  }

  /** The subjects of a data set's devices, as a fresh resolver finds them (untimed). */
  private Map<String, Subject> resolveUntimed(Workload data) {
    FhirResources resources =
        FhirDestination.of(server.baseUrl(), ResolutionType.LOOKUP).resources();
    IdentityResolver lookup =
        new IdentityResolver(
            resources, IdentityResolver.Config.of(ResolutionType.LOOKUP), Ticker.systemTicker());
    Map<String, Subject> subjects = new HashMap<>();
    for (int d = 0; d < data.devices(); d++) {
      subjects.put(data.device(d), lookup.resolve(data.key(d)));
    }
    return subjects;
  }

  /** Produces at {@code rate} messages/s while the connector runs; records their latencies. */
  private Latency latencyRun(
      String topic, Workload data, E2eMetrics metrics, long alreadySaved, LongSupplier requests)
      throws InterruptedException {
    int rate = settings.latencyRate();
    long flushesBefore = metrics.flushes();
    long requestsBefore = requests.getAsLong();
    log.printf(
        Locale.ROOT,
        "latency: %d messages at %d messages/s%n",
        data.count(),
        settings.latencyRate());
    metrics.recordLatency(true);
    long start;
    long lastSend;
    try (KafkaProducer<byte[], byte[]> producer = producer(0)) {
      List<Future<RecordMetadata>> sends = new ArrayList<>(data.count());
      long interval = 1_000_000_000L / rate;
      start = System.nanoTime();
      for (int i = 0; i < data.count(); i++) {
        long due = start + i * interval;
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
          LockSupport.parkNanos(wait);
        }
        sends.add(producer.send(record(topic, data, i)));
      }
      lastSend = System.nanoTime();
      producer.flush();
      await(sends);
    }
    metrics.awaitSaved(alreadySaved + data.count(), timeout(data.count()));
    metrics.recordLatency(false);
    Histogram h = metrics.latencies();
    double sent = (lastSend - start) / 1e9;
    return new Latency(
        rate,
        data.count(),
        data.count() > 1 ? (data.count() - 1) / sent : Double.NaN,
        h.getTotalCount(),
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getMaxValue() / 1000.0,
        (metrics.lastSavedNanos() - lastSend) / 1e9,
        metrics.flushes() - flushesBefore,
        requests.getAsLong() - requestsBefore);
  }

  // ---- plain phase -----------------------------------------------------------------------------

  private PlainResult plainPhase(Workload data, PlainLoader.Read read) {
    Map<String, Subject> subjects = prepareServer(data).subjects();
    int size = settings.bundleSize();
    List<List<List<Observation>>> byPartition = new ArrayList<>();
    for (List<ObservationGroup> groups : groupsByPartition(data)) {
      List<List<Observation>> chunks = new ArrayList<>();
      for (int i = 0; i < groups.size(); i += size) {
        List<Observation> chunk = new ArrayList<>();
        for (ObservationGroup g : groups.subList(i, Math.min(groups.size(), i + size))) {
          chunk.add(factory.create(g, subjects.get(g.key().deviceId())));
        }
        chunks.add(chunk);
      }
      byPartition.add(chunks);
    }
    // Bundles of one partition each, partitions taking turns, as the connector's flushes come.
    List<List<Observation>> bundles = new ArrayList<>();
    int most = byPartition.stream().mapToInt(List::size).max().orElse(0);
    for (int k = 0; k < most; k++) {
      for (List<List<Observation>> chunks : byPartition) {
        if (k < chunks.size()) {
          bundles.add(chunks.get(k));
        }
      }
    }
    log.printf(
        Locale.ROOT,
        "plain%s: writing %d Observations in %d bundles%n",
        read == PlainLoader.Read.NONE ? "" : " (after " + read + ")",
        data.count(),
        bundles.size());
    long requestsBefore = fhir.requests();
    CpuBreakdown.Snapshot before = CpuBreakdown.snapshot();
    long t0 = System.nanoTime();
    long written = fhir.write(bundles, read, settings.concurrency());
    long t1 = System.nanoTime();
    CpuBreakdown.Result cpu = CpuBreakdown.between(before, CpuBreakdown.snapshot());
    long requests = fhir.requests() - requestsBefore;
    long count = fhir.count("Observation");
    if (count != data.count() || written != data.count()) {
      throw new IllegalStateException(
          "plain loader wrote " + written + ", server holds " + count + " of " + data.count());
    }
    return new PlainResult(written, (t1 - t0) / 1e9, bundles.size(), requests, count, cpu);
  }

  // ---- shared ----------------------------------------------------------------------------------

  /** A data set's resolved identities, and how long resolving them again took a cold cache. */
  private record Prepared(Map<String, Subject> subjects, double lookupSeconds) {}

  /**
   * Empties the server and creates the data set's Patients and Devices as the connector would
   * (untimed); then times what a connector with a cold identity cache does for them (its batched
   * resolution of all of them at once).
   */
  private Prepared prepareServer(Workload data) {
    server.reset();
    FhirResources resources =
        FhirDestination.of(server.baseUrl(), ResolutionType.CREATE).resources();
    Map<String, Subject> subjects = new HashMap<>();
    IdentityResolver creator =
        new IdentityResolver(
            resources, IdentityResolver.Config.of(ResolutionType.CREATE), Ticker.systemTicker());
    for (int d = 0; d < data.devices(); d++) {
      subjects.put(data.device(d), creator.resolve(data.key(d)));
    }
    IdentityResolver cold =
        new IdentityResolver(
            resources, IdentityResolver.Config.of(ResolutionType.CREATE), Ticker.systemTicker());
    List<GroupKey> keys = new ArrayList<>();
    for (int d = 0; d < data.devices(); d++) {
      keys.add(data.key(d));
    }
    long t0 = System.nanoTime();
    Map<GroupKey, Resolution> resolved = cold.resolveAll(keys);
    double seconds = (System.nanoTime() - t0) / 1e9;
    for (int d = 0; d < data.devices(); d++) {
      if (!(resolved.get(data.key(d)) instanceof Resolution.Resolved r)
          || !r.subject().equals(subjects.get(data.device(d)))) {
        throw new IllegalStateException("device " + data.device(d) + " resolved differently");
      }
    }
    return new Prepared(subjects, seconds);
  }

  /** The groups the connector forms of the data, per partition of the normalized topic. */
  private List<List<ObservationGroup>> groupsByPartition(Workload data) {
    List<List<ObservationGroup>> out = new ArrayList<>();
    for (List<Measurement> ms :
        data.measurementsByPartition(deviceMapping, settings.partitions())) {
      Grouper.Result r = Grouper.group(ms, fhirMapping);
      if (!r.failures().isEmpty() || r.groups().size() != ms.size()) {
        throw new IllegalStateException(
            "expected one Observation per measurement, got "
                + r.groups().size()
                + " groups of "
                + ms.size()
                + " measurements, failures "
                + r.failures());
      }
      out.add(r.groups());
    }
    return out;
  }

  private KafkaProducer<byte[], byte[]> producer(int lingerMs) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMs));
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, Workload data, int i) {
    return new ProducerRecord<>(
        topic, data.device(data.deviceOf(i)).getBytes(StandardCharsets.UTF_8), data.body(i));
  }

  private static void await(List<Future<RecordMetadata>> sends) throws InterruptedException {
    AtomicReference<Exception> failure = new AtomicReference<>();
    for (Future<RecordMetadata> f : sends) {
      try {
        f.get();
      } catch (ExecutionException e) {
        failure.compareAndSet(null, e);
      }
    }
    if (failure.get() != null) {
      throw new IllegalStateException("producing a message failed", failure.get());
    }
  }

  private static Duration timeout(long observations) {
    return Duration.ofSeconds(120 + observations / 10);
  }

  // ---- report ----------------------------------------------------------------------------------

  static String describe(Round r) {
    ConnectorResult c = r.connector();
    PlainResult p = r.plain();
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "round %s (%s first)%n",
            r.name(),
            r.connectorFirst() ? "connector" : "plain loader"));
    b.append(
        String.format(
            Locale.ROOT,
            "  connector: %,d messages -> %,d Observations in %.2f s = %,.0f messages/s,"
                + " %,.0f Observations/s; %d flushes (%.0f Observations each), %d FHIR requests%n",
            c.messages(),
            c.observations(),
            c.seconds(),
            c.messagesPerSecond(),
            c.observationsPerSecond(),
            c.flushes(),
            (double) c.observations() / c.flushes(),
            c.fhirRequests()));
    b.append(
        String.format(
            Locale.ROOT,
            "  plain:     %,d Observations in %.2f s = %,.0f Observations/s; %d bundles,"
                + " %d FHIR requests%n",
            p.observations(),
            p.seconds(),
            p.observationsPerSecond(),
            p.bundles(),
            p.fhirRequests()));
    b.append(String.format(Locale.ROOT, "  ratio connector/plain: %.2f%n", r.ratio()));
    b.append(
        c.identities() == Identities.EXISTING
            ? String.format(
                Locale.ROOT,
                "  identity look-ups with a cold cache (in the connector's timed part): %d in %.2f"
                    + " s%n",
                c.identityLookups(),
                c.identityLookupSeconds())
            : "  identities: cached before the connector started (untimed)\n");
    for (Map.Entry<PlainLoader.Read, PlainResult> e : r.diagnostics().entrySet()) {
      PlainResult d = e.getValue();
      b.append(
          String.format(
              Locale.ROOT,
              "  diagnostic, plain loader after %s of each bundle's ids: %,.0f Observations/s"
                  + " (%.2f of plain), %d requests, process CPU per 1,000 Observations %.2f s%n",
              e.getKey(),
              d.observationsPerSecond(),
              d.observationsPerSecond() / p.observationsPerSecond(),
              d.fhirRequests(),
              1000 * d.cpu().processCpuSeconds() / d.observations()));
    }
    Latency l = c.latency();
    if (l != null) {
      b.append(
          String.format(
              Locale.ROOT,
              "  latency at %d messages/s (%,d messages, sent at %.1f/s): p50 %.0f ms,"
                  + " p99 %.0f ms, max %.0f ms (%,d samples); last Observation %.2f s after"
                  + " the last send; %d flushes, %d FHIR requests%n",
              l.targetRate(),
              l.messages(),
              l.achievedRate(),
              l.p50Millis(),
              l.p99Millis(),
              l.maxMillis(),
              l.samples(),
              l.drainSeconds(),
              l.flushes(),
              l.fhirRequests()));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "  %-42s %9s %9s%n"
                + "  %-42s %9.1f %9.1f%n"
                + "  %-42s %9.2f %9.2f%n"
                + "  %-42s %9.1f %9.1f%n",
            "CPU of the timed part",
            "connector",
            "plain",
            "wall seconds (CPU window)",
            c.cpu().wallSeconds(),
            p.cpu().wallSeconds(),
            "machine busy cores of "
                + Runtime.getRuntime().availableProcessors()
                + " (all processes)",
            c.cpu().machineBusyCores(),
            p.cpu().machineBusyCores(),
            "this process, CPU seconds",
            c.cpu().processCpuSeconds(),
            p.cpu().processCpuSeconds()));
    b.append(
        String.format(
            Locale.ROOT,
            "    %-40s %9.1f %9.1f%n    %-40s %9.1f %9.1f%n",
            "JIT compilation (elapsed s, reported)",
            c.cpu().jitSeconds(),
            p.cpu().jitSeconds(),
            "GC pauses (elapsed s, reported)",
            c.cpu().gcSeconds(),
            p.cpu().gcSeconds()));
    for (String cat : CpuBreakdown.CATEGORIES) {
      b.append(
          String.format(
              Locale.ROOT,
              "    %-40s %9.1f %9.1f%n",
              cat,
              c.cpu().byCategorySeconds().get(cat),
              p.cpu().byCategorySeconds().get(cat)));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "  process CPU per 1,000 Observations: connector %.2f s, plain %.2f s%n",
            1000 * c.cpu().processCpuSeconds() / c.observations(),
            1000 * p.cpu().processCpuSeconds() / p.observations()));
    b.append(costs(c));
    return b.toString();
  }

  /** A connector phase alone (the cold start). */
  static String describe(String title, ConnectorResult c) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%s: %,d messages -> %,d Observations in %.2f s = %,.0f messages/s; %d flushes,"
                + " %d FHIR requests%n",
            title,
            c.messages(),
            c.observations(),
            c.seconds(),
            c.messagesPerSecond(),
            c.flushes(),
            c.fhirRequests()));
    b.append(
        String.format(
            Locale.ROOT,
            "  JIT compilation %.1f s (elapsed, reported), GC pauses %.1f s, machine busy cores %.2f%n",
            c.cpu().jitSeconds(),
            c.cpu().gcSeconds(),
            c.cpu().machineBusyCores()));
    for (String cat : CpuBreakdown.CATEGORIES) {
      b.append(
          String.format(
              Locale.ROOT, "    %-40s %9.1f%n", cat, c.cpu().byCategorySeconds().get(cat)));
    }
    b.append(costs(c));
    return b.toString();
  }

  /**
   * The connector's own cost per message (process CPU without the FHIR server, the proxy and the
   * load generator's threads), by stage, and its FHIR requests per 1,000 measurements.
   */
  static String costs(ConnectorResult c) {
    Map<String, Double> by = c.cpu().byCategorySeconds();
    double perMessage = 1e6 / c.messages();
    return String.format(
        Locale.ROOT,
        "  connector CPU per message (whole JVM less FHIR server, proxy, load generator): %.0f us"
            + " (normalize %.0f, group + FHIR client %.0f, HTTP client %.0f, Kafka clients %.0f,"
            + " broker %.0f, JIT/GC/VM %.0f, other %.0f)%n"
            + "  FHIR requests per 1,000 measurements: %.1f at the client%s%n",
        c.cpu().connectorSeconds() * perMessage,
        by.get(CpuBreakdown.NORMALIZE) * perMessage,
        by.get(CpuBreakdown.GROUP) * perMessage,
        by.get(CpuBreakdown.HTTP_CLIENTS) * perMessage,
        by.get(CpuBreakdown.KAFKA_CLIENTS) * perMessage,
        by.get(CpuBreakdown.BROKER) * perMessage,
        by.get(CpuBreakdown.OUTSIDE) * perMessage,
        by.get(CpuBreakdown.OTHER) * perMessage,
        1000.0 * c.fhirRequests() / c.messages(),
        c.serverRequests() < 0
            ? ""
            : String.format(
                Locale.ROOT,
                ", %.1f at the %s",
                1000.0 * c.serverRequests() / c.messages(),
                "server or proxy"));
  }

  static String table(Report report) {
    Settings s = report.settings();
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%nsettings: %,d messages (1 heart-rate Observation each) of %d devices, %d partitions,"
                + " flush %d events / %d ms, bundles of %d, latency at %d messages/s for %,d"
                + " messages, %d rounds after a %,d-message warm-up; FHIR %s, added latency %d ms,"
                + " concurrency: plain loader %d, connector %d%n%n",
            s.messages(),
            s.devices(),
            s.partitions(),
            s.flush().maxEvents(),
            s.flush().maxAge().toMillis(),
            s.bundleSize(),
            s.latencyRate(),
            s.latencyMessages(),
            s.rounds(),
            s.warmupMessages(),
            s.fhir().name().toLowerCase(Locale.ROOT),
            s.latencyMs(),
            s.concurrency(),
            report.connectorConcurrency()));
    b.append(
        "| round | first | connector msg/s | connector Obs/s | plain Obs/s | ratio | p50 ms | p99 ms |\n");
    b.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (Round r : report.rounds()) {
      Latency l = r.connector().latency();
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %,.0f | %,.0f | %,.0f | %.2f | %s | %s |%n",
              r.name(),
              r.connectorFirst() ? "connector" : "plain",
              r.connector().messagesPerSecond(),
              r.connector().observationsPerSecond(),
              r.plain().observationsPerSecond(),
              r.ratio(),
              l == null ? "-" : String.format(Locale.ROOT, "%.0f", l.p50Millis()),
              l == null ? "-" : String.format(Locale.ROOT, "%.0f", l.p99Millis())));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "%nmedian ratio connector/plain: %.2f (goal >= 0.9)%n",
            report.medianRatio()));
    b.append("\n| round | CPU us/message (connector) | FHIR requests / 1,000 measurements |\n");
    b.append("|---|---:|---:|\n");
    List<ConnectorResult> phases = new ArrayList<>();
    List<String> names = new ArrayList<>();
    if (report.cold() != null) {
      phases.add(report.cold());
      names.add("cold");
    }
    for (Round r : report.rounds()) {
      phases.add(r.connector());
      names.add(r.name());
    }
    for (int i = 0; i < phases.size(); i++) {
      ConnectorResult c = phases.get(i);
      b.append(
          String.format(
              Locale.ROOT,
              "| %s | %.0f | %.1f |%n",
              names.get(i),
              1e6 * c.cpu().connectorSeconds() / c.messages(),
              1000.0 * c.fhirRequests() / c.messages()));
    }
    if (report.cold() != null) {
      b.append(
          String.format(
              Locale.ROOT,
              "%ncold start %.2f s (%,.0f messages/s) vs warm median: cold/warm time %.2f"
                  + " (goal <= 1.5)%n",
              report.cold().seconds(),
              report.cold().messagesPerSecond(),
              report.coldOverWarm()));
    }
    return b.toString();
  }

  // ---- main ------------------------------------------------------------------------------------

  static Settings parse(String[] args) {
    Map<String, String> o = new HashMap<>();
    for (String a : args) {
      if (a.equals("--cold")) {
        a = "--cold=true";
      }
      if (!a.startsWith("--") || !a.contains("=")) {
        throw new IllegalArgumentException("options are --name=value, got '" + a + "'");
      }
      o.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    Path samples =
        o.containsKey("samples")
            ? Path.of(o.remove("samples"))
            : Stream.of(Path.of("samples"), Path.of("../samples"))
                .filter(p -> Files.isRegularFile(p.resolve("device-mapping.json")))
                .findFirst()
                .orElse(Path.of("samples"));
    Settings s =
        new Settings(
            integer(o, "messages", 10_000),
            integer(o, "devices", 100),
            integer(o, "partitions", 4),
            new FlushPolicy(
                integer(o, "flush-events", 500),
                Duration.ofMillis(integer(o, "flush-age-ms", 1000))),
            integer(o, "rate", 20),
            integer(o, "latency-messages", 1200),
            integer(o, "rounds", 2),
            integer(o, "warmup", 4000),
            Boolean.parseBoolean(o.getOrDefault("diagnose", "false")),
            samples,
            FhirTarget.Kind.parse(o.getOrDefault("fhir", "jpa")),
            integer(o, "latency-ms", 0),
            integer(o, "concurrency", 1),
            Boolean.parseBoolean(o.getOrDefault("cold", "false")));
    o.remove("diagnose");
    o.remove("fhir");
    o.remove("cold");
    if (s.concurrency() < 1 || s.latencyMs() < 0) {
      throw new IllegalArgumentException("--concurrency must be >= 1 and --latency-ms >= 0");
    }
    if (!o.isEmpty()) {
      throw new IllegalArgumentException("unknown options " + o.keySet());
    }
    return s;
  }

  private static int integer(Map<String, String> o, String name, int fallback) {
    String v = o.remove(name);
    return v == null ? fallback : Integer.parseInt(v.replace("_", ""));
  }

  public static void main(String[] args) throws Exception {
    Settings settings = parse(args);
    System.out.printf(
        Locale.ROOT,
        "java %s, %d processors, load average %s%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
    boolean jpa = settings.fhir() == FhirTarget.Kind.JPA;
    HapiFhirServer jpaServer = jpa ? new HapiFhirServer() : null;
    InMemoryFhirServer memoryServer = null;
    Path kafkaDir = Files.createTempDirectory("iomt-e2e-kafka");
    int exit = 1;
    try {
      long t = System.nanoTime();
      if (jpa) {
        jpaServer.start();
      } else {
        memoryServer = InMemoryFhirServer.start();
      }
      quietBroker();
      System.out.printf(
          Locale.ROOT,
          "%s FHIR server up after %.1f s%n",
          jpa ? "HAPI JPA" : "in-memory",
          (System.nanoTime() - t) / 1e9);
      Duration latency = Duration.ofMillis(settings.latencyMs());
      try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(kafkaDir);
          FhirTarget target =
              jpa ? FhirTarget.of(jpaServer, latency) : FhirTarget.of(memoryServer, latency)) {
        Report report = run(settings, broker, target, System.out);
        System.out.print(table(report));
        System.out.printf(Locale.ROOT, "load average at the end %s%n", loadAverage());
        exit = 0;
      }
    } finally {
      if (jpaServer != null) {
        jpaServer.close();
      }
      if (memoryServer != null) {
        memoryServer.close();
      }
      try (Stream<Path> files = Files.walk(kafkaDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    // Kafka client and HAPI scheduler threads may linger for a while: do not wait for them.
    System.exit(exit);
  }

  /** The broker logs at INFO under Spring Boot's default configuration (the server set it up). */
  private static void quietBroker() {
    LoggingSystem logging = LoggingSystem.get(LoadGenerator.class.getClassLoader());
    for (String logger : List.of("org.apache.kafka", "kafka", "state.change.logger")) {
      logging.setLogLevel(logger, LogLevel.WARN);
    }
    logging.setLogLevel("org.apache.kafka.controller.QuorumController", LogLevel.ERROR);
    logging.setLogLevel("org.apache.kafka.clients.NetworkClient", LogLevel.ERROR);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
