package io.iomt.demo;

import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.mapping.DeviceMapping;
import io.iomt.pipeline.KafkaClients;
import io.iomt.testkit.HapiFhirServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The demo, start to end: starts a FHIR server with its data in {@code <data-dir>/fhir} and the
 * connector service with its embedded broker in {@code <data-dir>/kafka}, makes the connector
 * through the service's management API ({@link DemoConnector}), replays a stream of device messages
 * through HTTP ingest, waits until the connector has written everything to FHIR and dead-lettered
 * what its mapping cannot read, and reads back from FHIR what is there. The servers keep running
 * until {@link #close()} (the user's {@code --keep-running} session uses them through {@link
 * #access()}). One run per instance.
 */
final class Demo implements AutoCloseable {

  /** The connector's name, and so the ingest path {@code /ingest/demo-ward}. */
  static final String CONNECTOR = DemoConnector.NAME;

  static final int MESSAGES_PER_REQUEST = 100;
  static final int REQUESTS_IN_FLIGHT = 4;
  private static final Duration POLL = Duration.ofSeconds(1);
  private static final Duration OPERATION_TIMEOUT = Duration.ofMinutes(2);

  /**
   * @param dataDir where the FHIR database, the broker's data, the mappings and the log go
   * @param stallTimeout how long the wait for FHIR may see no progress before the demo gives up
   * @param port the service's HTTP port on 127.0.0.1, 0 for a free one
   */
  record Options(Path dataDir, DemoStream stream, Duration stallTimeout, int port) {
    Options {
      dataDir = dataDir.toAbsolutePath().normalize();
    }
  }

  /**
   * What a run found in FHIR.
   *
   * @param messages messages the service accepted
   * @param tally the stream's devices' Observations read back from FHIR
   * @param heldBefore of those Observations, how many FHIR held before the replay (an earlier run
   *     on the same data directory)
   * @param serverTotal all Observations on the server, of any device
   * @param deadLetters what the connector dead-lettered of this run's messages
   */
  record Result(
      int messages,
      FhirCensus.Tally tally,
      String fhirUrl,
      int heldBefore,
      int serverTotal,
      List<DeadLetterTopic.Letter> deadLetters) {

    Result {
      deadLetters = List.copyOf(deadLetters);
    }

    /** {@code demo: <N> messages, <M> measurements, <K> observations in FHIR at <url>} */
    String finalLine() {
      return "demo: "
          + messages
          + " messages, "
          + tally.measurements()
          + " measurements, "
          + tally.observations()
          + " observations in FHIR at "
          + fhirUrl;
    }
  }

  private final Options options;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PrintStream out;
  private final boolean terminal;
  private HapiFhirServer fhir;
  private EmbeddedService service;
  private Access access;

  Demo(Options options, PrintStream out, boolean terminal) {
    this.options = options;
    this.out = out;
    this.terminal = terminal;
  }

  Result run() throws InterruptedException {
    Path dataDir = options.dataDir();
    DemoStream stream = options.stream();
    Path deviceMappingFile = copyResource("demo/device-mapping.json", "device-mapping.json");
    Path fhirMappingFile = copyResource("demo/fhir-mapping.json", "fhir-mapping.json");
    Expectation expected =
        Expectation.of(
            stream.messages(),
            DeviceMapping.parse(read(deviceMappingFile)),
            FhirMapping.parse(read(fhirMappingFile)));
    say(
        "%d device messages from %d devices (%s); they make %d Observations with %d measurements",
        stream.messages().size(),
        expected.deviceIds().size(),
        stream.source(),
        expected.observations(),
        expected.measurements());
    if (expected.rejected() > 0) {
      say(
          "%d of the messages do not fit the device mapping: the connector dead-letters them to"
              + " the topic %s",
          expected.rejected(), DemoConnector.ERROR_TOPIC);
    }

    long started = System.nanoTime();
    say(
        "starting a HAPI FHIR JPA server (H2 in %s) and the connector service (embedded Kafka"
            + " in %s)",
        dataDir.resolve("fhir"), dataDir.resolve("kafka"));
    fhir = HapiFhirServer.persistent(dataDir.resolve("fhir"), 0);
    String fhirUrl = fhir.baseUrl();
    // The two boot in parallel: HAPI is the slow one, and the service does not call FHIR before
    // its connector is made.
    CompletableFuture<Void> fhirStarted = CompletableFuture.runAsync(fhir::start);
    String ingestKey = randomKey();
    String managementKey = randomKey();
    service =
        EmbeddedService.start(
            new EmbeddedService.Settings(dataDir, ingestKey, managementKey, options.port()));
    say("connector service ready at %s after %s", service.baseUrl(), since(started));
    try {
      fhirStarted.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
    say("FHIR server ready at %s after %s", fhirUrl, since(started));

    ManagementClient management = new ManagementClient(service.baseUrl(), managementKey);
    management.awaitReady(OPERATION_TIMEOUT);
    DemoConnector.Outcome made =
        DemoConnector.ensure(
            management, read(deviceMappingFile), read(fhirMappingFile), fhirUrl, OPERATION_TIMEOUT);
    say(
        "connector %s made through the management API (%s): %s",
        CONNECTOR,
        DemoConnector.IOT_CONNECTOR_ID,
        made.written().isEmpty()
            ? "as the last run left it"
            : "PUT " + String.join(", ", made.written()));
    access =
        new Access(
            service.baseUrl(),
            managementKey,
            ingestKey,
            service.bootstrapServers(),
            CONNECTOR,
            DemoConnector.SOURCE_TOPIC,
            fhirUrl);

    FhirCensus census = new FhirCensus(fhirUrl);
    Map<String, String> devices = census.devices(expected.deviceIds());
    int heldBefore = devices.isEmpty() ? 0 : census.observationCount(devices.values());

    IngestClient ingest = new IngestClient(service.ingestUrl(CONNECTOR), ingestKey);
    FhirCensus.Tally tally;
    List<DeadLetterTopic.Letter> deadLetters;
    try (DeadLetterTopic errors =
            new DeadLetterTopic(service.bootstrapServers(), DemoConnector.ERROR_TOPIC);
        PipelineLag lag = new PipelineLag(service.bean(KafkaClients.class), CONNECTOR)) {
      say("replaying through POST %s", ingest.url());
      long replayStarted = System.nanoTime();
      int total = stream.messages().size();
      ProgressBar sent = new ProgressBar(out, terminal, "ingest", total);
      int accepted =
          new Replayer(ingest, MESSAGES_PER_REQUEST, REQUESTS_IN_FLIGHT)
              .replay(
                  stream.messages(), done -> sent.update(done, done + "/" + total + " messages"));
      sent.finish(accepted, accepted + "/" + total + " messages in " + since(replayStarted));

      tally = awaitFhir(census, expected, lag, errors);
      deadLetters = errors.read();
      say("the connector wrote everything %s after the replay started", since(replayStarted));
      return new Result(
          accepted, tally, fhirUrl, heldBefore, census.observationCount(), deadLetters);
    }
  }

  /**
   * How to reach the running demo: set once {@link #run()} has made the connector.
   *
   * @throws IllegalStateException before that
   */
  Access access() {
    if (access == null) {
      throw new IllegalStateException("the demo has not made its connector yet");
    }
    return access;
  }

  private static String randomKey() {
    byte[] key = new byte[16];
    RANDOM.nextBytes(key);
    return HexFormat.of().formatHex(key);
  }

  /**
   * Polls until both stages have committed everything (so FHIR holds all there is to hold), FHIR
   * holds at least the expected Observations and measurements, and the messages the mapping rejects
   * are on the error topic.
   */
  private FhirCensus.Tally awaitFhir(
      FhirCensus census, Expectation expected, PipelineLag lag, DeadLetterTopic errors)
      throws InterruptedException {
    ProgressBar progress = new ProgressBar(out, terminal, "FHIR", expected.observations());
    Map<String, String> devices = Map.of();
    long lastChange = System.nanoTime();
    String lastState = "";
    while (true) {
      long behind = lag.records();
      if (devices.size() < expected.deviceIds().size()) {
        devices = census.devices(expected.deviceIds());
      }
      int observations = devices.isEmpty() ? 0 : census.observationCount(devices.values());
      String detail =
          observations
              + "/"
              + expected.observations()
              + " observations"
              + (behind > 0 ? ", " + behind + " records in the pipeline" : "");
      progress.update(observations, detail);
      if (behind == 0
          && observations >= expected.observations()
          && errors.read().size() >= expected.rejected()) {
        FhirCensus.Tally tally = census.tally(devices.values());
        if (tally.measurements() >= expected.measurements()) {
          progress.finish(
              observations, observations + "/" + expected.observations() + " observations");
          return tally;
        }
      }
      String state = behind + "/" + observations;
      if (!state.equals(lastState)) {
        lastState = state;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > options.stallTimeout().toNanos()) {
        progress.finish(observations, detail);
        throw new IllegalStateException(
            behind > 0
                ? "the connector made no progress for "
                    + options.stallTimeout().toSeconds()
                    + " s with "
                    + behind
                    + " records left; is the FHIR server answering?"
                : "the connector processed every message, but FHIR holds "
                    + describe(census.tally(devices.values()))
                    + " of the expected "
                    + expected.observations()
                    + " Observations with "
                    + expected.measurements()
                    + " measurements and "
                    + errors.read().size()
                    + " of the expected "
                    + expected.rejected()
                    + " dead letters on the topic "
                    + DemoConnector.ERROR_TOPIC);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private static String describe(FhirCensus.Tally tally) {
    return tally.observations() + " Observations with " + tally.measurements() + " measurements";
  }

  private Path copyResource(String resource, String name) {
    Path target = options.dataDir().resolve("mappings").resolve(name);
    try (InputStream in = Demo.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the bundled " + resource + " is missing");
      }
      Files.createDirectories(target.getParent());
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private void say(String format, Object... args) {
    out.println("demo: " + String.format(format, args));
    out.flush();
  }

  private static String since(long startNanos) {
    return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
  }

  /** Stops the service, then the FHIR server; safe to call more than once, and from any thread. */
  @Override
  public synchronized void close() {
    RuntimeException failure = null;
    if (service != null) {
      try {
        service.close();
      } catch (RuntimeException e) {
        failure = e;
      }
      service = null;
    }
    if (fhir != null) {
      try {
        fhir.close();
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
      fhir = null;
    }
    if (failure != null) {
      throw failure;
    }
  }
}
