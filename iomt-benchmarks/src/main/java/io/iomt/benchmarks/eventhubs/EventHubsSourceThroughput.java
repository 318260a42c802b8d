package io.iomt.benchmarks.eventhubs;

import com.azure.messaging.eventhubs.EventProcessorClient;
import com.azure.messaging.eventhubs.EventProcessorClientBuilder;
import com.azure.messaging.eventhubs.LoadBalancingStrategy;
import com.azure.messaging.eventhubs.models.EventPosition;
import io.iomt.azure.eventhubs.EventHubsSourceSettings;
import io.iomt.azure.eventhubs.EventHubsSources;
import io.iomt.azure.eventhubs.PartitionMetrics;
import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.envelope.MessageLimits;
import io.iomt.core.mapping.DeviceMapping;
import io.iomt.embedded.kafka.EmbeddedKafkaBroker;
import io.iomt.pipeline.DeadLetters;
import io.iomt.pipeline.KafkaClients;
import io.iomt.pipeline.NormalizeStage;
import io.iomt.pipeline.Normalizer;
import io.iomt.pipeline.StageMetrics;
import io.iomt.pipeline.StatusHolder;
import io.iomt.testkit.SampleMessages;
import io.iomt.testkit.azure.eventhubs.EventHubsTestServer;
import io.iomt.testkit.azure.eventhubs.InMemoryCheckpointStore;
import io.iomt.testkit.azure.eventhubs.TestEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput of the Event Hubs source into the normalized topic, against reading the same events
 * with the Azure SDK alone, in one run on one machine (docs/benchmarks.md has the command and the
 * results).
 *
 * <ul>
 *   <li><b>SDK alone</b>: an {@code EventProcessorClient} that counts the events and their body
 *       bytes, nothing else: no normalization, no produce, no checkpoint. The ceiling of reading.
 *   <li><b>Connector</b>: the connector's normalize stage on {@code EventHubsEventSource} (the same
 *       SDK processor underneath): envelope, sample device mapping, measurements produced to the
 *       normalized topic of a real KRaft broker, acknowledgements awaited, then a checkpoint per
 *       partition and poll.
 * </ul>
 *
 * Both read all events of the hub from the earliest position in a consumer group of their own, in
 * alternating rounds, from the AMQP Event Hubs test server on loopback (a real Event Hub adds
 * network time to both sides alike). Checkpoints go to an in-memory store on both sides, so Blob
 * latency is not part of it. Reported: events per second of each, and the ratio connector / SDK per
 * round.
 */
public final class EventHubsSourceThroughput {
  private EventHubsSourceThroughput() {}

  public static void main(String[] args) throws Exception {
    int events = intArg(args, "events", 40_000);
    int partitions = intArg(args, "partitions", 4);
    int rounds = intArg(args, "rounds", 3);
    int devices = intArg(args, "devices", 200);
    Path mappingFile =
        Path.of(stringArg(args, "samples", "samples")).resolve("device-mapping.json");
    DeviceMapping mapping = DeviceMapping.parse(Files.readAllBytes(mappingFile));

    EventHubsTestServer.Options options =
        EventHubsTestServer.Options.create().hub("bench", partitions);
    for (int r = 0; r < rounds; r++) {
      options.consumerGroup("bench", "sdk-" + r).consumerGroup("bench", "connector-" + r);
    }
    Path dir = Files.createTempDirectory("iomt-eventhubs-bench");
    try (EventHubsTestServer server = EventHubsTestServer.start(options);
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"))) {
      Instant t0 = Instant.parse("2026-11-30T08:00:00Z");
      for (int i = 0; i < events; i++) {
        String device = "bench-dev-" + (i % devices);
        server.publish(
            "bench",
            Integer.toString(i % partitions),
            TestEvent.ofText(
                SampleMessages.heartRate(
                    device, "p-" + device, t0.plusSeconds(i / devices), 60 + i % 40)));
      }
      broker.createTopic("bench-normalized", partitions);
      broker.createTopic("bench-errors", 1);
      KafkaClients clients =
          new KafkaClients(Map.of("bootstrap.servers", broker.bootstrapServers()));
      System.out.printf(
          Locale.ROOT,
          "%d events of %d devices on %d partitions; %d rounds%n",
          events,
          devices,
          partitions,
          rounds);
      List<Double> ratios = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        double sdk = sdkAlone(server, "sdk-" + r, events);
        double connector = connector(server, "connector-" + r, events, mapping, clients);
        ratios.add(connector / sdk);
        System.out.printf(
            Locale.ROOT,
            "round %d: SDK alone %.0f events/s, connector into the normalized topic %.0f events/s,"
                + " ratio %.2f%n",
            r + 1,
            sdk,
            connector,
            connector / sdk);
      }
      List<Double> sorted = new ArrayList<>(ratios);
      sorted.sort(Double::compare);
      System.out.printf(
          Locale.ROOT, "median ratio connector / SDK: %.2f%n", sorted.get(sorted.size() / 2));
    }
  }

  /** Events per second of a processor that only counts. */
  private static double sdkAlone(EventHubsTestServer server, String consumerGroup, int events)
      throws InterruptedException {
    AtomicLong count = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    AtomicLong first = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    EventProcessorClient processor =
        new EventProcessorClientBuilder()
            .connectionString(server.connectionString("bench"))
            .consumerGroup(consumerGroup)
            .checkpointStore(new InMemoryCheckpointStore())
            .initialPartitionEventPosition(p -> EventPosition.earliest())
            .processEventBatch(
                batch -> {
                  if (!batch.getEvents().isEmpty()) {
                    first.compareAndSet(0, System.nanoTime());
                  }
                  batch.getEvents().forEach(e -> bytes.addAndGet(e.getBody().length));
                  if (count.addAndGet(batch.getEvents().size()) >= events) {
                    done.countDown();
                  }
                },
                500,
                Duration.ofSeconds(1))
            .processError(e -> {})
            .loadBalancingStrategy(LoadBalancingStrategy.GREEDY)
            .buildEventProcessorClient();
    processor.start();
    if (!done.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("the SDK read only " + count.get() + " events");
    }
    long nanos = System.nanoTime() - first.get();
    processor.stop();
    return events / (nanos / 1e9);
  }

  /**
   * Events per second of the normalize stage on the Event Hubs source, acknowledged and
   * checkpointed.
   */
  private static double connector(
      EventHubsTestServer server,
      String consumerGroup,
      int events,
      DeviceMapping mapping,
      KafkaClients clients)
      throws InterruptedException {
    AtomicLong normalized = new AtomicLong();
    AtomicLong first = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    StageMetrics metrics =
        new StageMetrics() {
          @Override
          public void incoming() {
            first.compareAndSet(0, System.nanoTime());
          }

          @Override
          public void normalizeLatency(Duration sinceIngestion) {
            // Called once per event after its measurements were acknowledged and the poll's
            // checkpoints were written.
            if (normalized.incrementAndGet() >= events) {
              done.countDown();
            }
          }
        };
    EventHubsSourceSettings settings =
        new EventHubsSourceSettings(
            null,
            null,
            consumerGroup,
            new EventHubsSourceSettings.Auth.ConnectionString(
                () -> server.connectionString("bench")),
            new EventHubsSourceSettings.Checkpoints.ConnectionString(() -> "unused", "unused"),
            new EventHubsSourceSettings.StartPosition.Earliest(),
            Duration.ofSeconds(30),
            Duration.ofSeconds(10),
            500,
            500,
            Duration.ofMinutes(2));
    NormalizeStage stage =
        new NormalizeStage(
            new EventHubsSources(settings, PartitionMetrics.NONE, Clock.systemUTC())
                .open(new InMemoryCheckpointStore(), "memory"),
            clients.producer(),
            new Normalizer(mapping, new EnvelopeReader(MessageLimits.DEFAULTS)),
            new DeadLetters("bench-errors", 1 << 20),
            new NormalizeStage.Config("bench-normalized", Duration.ofMillis(200)),
            metrics,
            Clock.systemUTC(),
            new StatusHolder("bench-normalize-" + UUID.randomUUID()));
    Thread thread = new Thread(stage, "bench-normalize");
    long start = System.nanoTime();
    thread.start();
    if (!done.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException(
          "the connector normalized only " + normalized.get() + " events");
    }
    long nanos = System.nanoTime() - start;
    stage.close();
    thread.join(60_000);
    return events / (nanos / 1e9);
  }

  private static int intArg(String[] args, String name, int fallback) {
    return Integer.parseInt(stringArg(args, name, Integer.toString(fallback)));
  }

  private static String stringArg(String[] args, String name, String fallback) {
    for (String a : args) {
      if (a.startsWith("--" + name + "=")) {
        return a.substring(name.length() + 3);
      }
    }
    return fallback;
  }
}
