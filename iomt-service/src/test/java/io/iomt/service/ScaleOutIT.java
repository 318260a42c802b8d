package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.embedded.kafka.EmbeddedKafkaBroker;
import io.iomt.pipeline.Connector;
import io.iomt.pipeline.StageName;
import io.iomt.service.GroupProgress.GroupPartition;
import io.iomt.testkit.Await;
import io.iomt.testkit.FhirObservations;
import io.iomt.testkit.HapiFhirServer;
import io.iomt.testkit.SampleMessages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scale-out with real processes on loopback: one KRaft broker (in the test JVM, as the replicas'
 * shared cluster), a connector reading an 8-partition source topic the test produces to, replicas
 * as separate JVMs, a real HAPI JPA server. While a paced stream of messages flows, the connector
 * scales 1 -> 3 replicas, one of the three is killed (SIGKILL) and another stopped (SIGTERM), and
 * FHIR ends with exactly the expected Observations, none twice. It prints the pauses of each step
 * (how long partitions went without a commit) and what each replica did.
 *
 * <p>The size is a parameter: {@code -Dscale.messages} (default 4,000), {@code -Dscale.devices}
 * (40), {@code -Dscale.rate} (messages/s offered; default: the stream lasts about 40 s) and {@code
 * -Dscale.kafka-properties=k=v,k=v} (passed to the replicas as {@code iomt.kafka.properties.*},
 * e.g. to compare session timeouts). docs/benchmarks.md#scale-out has the full-size command.
 */
class ScaleOutIT {
  static final int MESSAGES = Integer.getInteger("scale.messages", 4_000);
  static final int DEVICES = Integer.getInteger("scale.devices", 40);
  static final int RATE = Integer.getInteger("scale.rate", Math.max(50, MESSAGES / 40));
  static final String KAFKA_PROPERTIES = System.getProperty("scale.kafka-properties", "");
  static final int PARTITIONS = 8;
  static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

  static EmbeddedKafkaBroker broker;
  static HapiFhirServer fhir;
  static Path root;

  @BeforeAll
  static void start() throws Exception {
    fhir = HapiFhirServer.shared();
    root = Files.createTempDirectory("iomt-scale-out");
    broker = EmbeddedKafkaBroker.start(root.resolve("broker"));
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  private static Map<String, Object> replica(String name, String run) {
    Map<String, Object> p = RunningService.defaults(root.resolve(name), fhir.baseUrl());
    p.put("iomt.kafka.bootstrap-servers", broker.bootstrapServers());
    p.put("iomt.connectors.test.partitions", String.valueOf(PARTITIONS));
    // Small flushes: frequent commits show when a partition progresses.
    p.put("iomt.connectors.test.flush.max-events", "100");
    p.put("iomt.connectors.test.source-topic", run + "-events");
    p.put("iomt.connectors.test.normalized-topic", run + "-normalized");
    p.put("iomt.connectors.test.error-topic", run + "-errors");
    for (String kv : KAFKA_PROPERTIES.split(",")) {
      if (!kv.isBlank()) {
        String[] pair = kv.split("=", 2);
        p.put("iomt.kafka.properties." + pair[0].trim(), pair[1].trim());
      }
    }
    return p;
  }

  private static String instanceId(String name) throws Exception {
    return Files.readString(root.resolve(name).resolve("instance-id"), StandardCharsets.UTF_8)
        .trim();
  }

  static String device(String run, int d) {
    return "scale-" + run + "-" + d;
  }

  @Test
  void scalingOneToThreeToOneWithAKilledReplicaEndsWithExactlyTheExpectedObservations()
      throws Exception {
    assertThat(MESSAGES % DEVICES).as("messages per device must be whole").isZero();
    String run = UUID.randomUUID().toString().substring(0, 6);
    broker.createTopic(run + "-events", PARTITIONS);
    List<String> groups =
        List.of(
            Connector.groupId("test", StageName.NORMALIZE),
            Connector.groupId("test", StageName.GROUP));
    Path logs = root.resolve("logs-" + run);
    Map<String, ReplicaCounters> counters = new ConcurrentHashMap<>();
    Gates gates = new Gates(MESSAGES, 0.30, 0.60, 0.85);
    testStart = System.nanoTime();

    try (GroupProgress progress = new GroupProgress(broker.bootstrapServers(), groups);
        ServiceProcess a = ServiceProcess.start("replica-a", replica("replica-a", run), logs)) {
      Map<String, ServiceProcess> live = new ConcurrentHashMap<>(Map.of(a.name, a));
      awaitMembers(progress, 1, a);
      step("replica-a live and in both groups");
      Sampler sampler = new Sampler(progress, live, counters);
      sampler.start();
      long streamStart = System.nanoTime();
      Thread producer = new Thread(() -> produce(run, gates), "scale-producer");
      producer.start();

      // 1 -> 3 while the stream flows.
      gates.awaitProduced(MESSAGES / 10);
      long steadyEnd = System.nanoTime();
      CompletableFuture<ServiceProcess> startB =
          CompletableFuture.supplyAsync(
              () -> ServiceProcess.start("replica-b", replica("replica-b", run), logs));
      CompletableFuture<ServiceProcess> startC =
          CompletableFuture.supplyAsync(
              () -> ServiceProcess.start("replica-c", replica("replica-c", run), logs));
      try (ServiceProcess b = startB.join();
          ServiceProcess c = startC.join()) {
        live.put(b.name, b);
        live.put(c.name, c);
        step("replica-b and replica-c live");
        awaitMembers(progress, 3, a, b, c);
        step("3 members in both groups");
        long scaledOut = System.nanoTime();
        gates.open(0);

        // SIGKILL one of the three mid-stream.
        gates.awaitProduced(MESSAGES * 45 / 100);
        Set<GroupPartition> killed = progress.assignments().get(instanceId(b.name));
        assertThat(killed).as("replica-b's partitions").isNotEmpty();
        long killedAt = System.nanoTime();
        live.remove(b.name);
        b.kill();
        progress.sample(); // every commit replica-b made: only its successors' count from here
        long baseline = System.nanoTime();
        step("replica-b killed");
        // The stream goes on: a partition shows it moved only when it gets new records.
        gates.open(1);
        awaitMembers(progress, 2, a, c);
        Duration reassigned = Duration.ofNanos(System.nanoTime() - killedAt);
        step("2 members in both groups");
        Map<GroupPartition, Optional<Duration>> failover =
            Await.atMost(Duration.ofSeconds(120))
                .every(Duration.ofMillis(200))
                .until(
                    "replica-b's partitions committed again by the others "
                        + killed
                        + " (logs: "
                        + logs
                        + ")",
                    () -> progress.resumedAfter(killedAt, baseline, killed),
                    m -> m.values().stream().allMatch(Optional::isPresent));
        Set<GroupPartition> others = new HashSet<>(progress.partitions());
        others.removeAll(killed);
        Duration failoverTime = longest(failover);
        // The survivors work on until the session expires; then the rebalance holds them.
        Duration survivorsPause = progress.longestGap(killedAt, System.nanoTime(), others);
        step("failover done");

        // SIGTERM another: back to one replica.
        gates.awaitProduced(MESSAGES * 65 / 100);
        Set<GroupPartition> stopped = progress.assignments().get(instanceId(c.name));
        long stoppedAt = System.nanoTime();
        live.remove(c.name);
        c.stop();
        progress.sample();
        long stoppedBaseline = System.nanoTime();
        step("replica-c stopped");
        gates.open(2);
        Map<GroupPartition, Optional<Duration>> handedOver =
            Await.atMost(Duration.ofSeconds(120))
                .every(Duration.ofMillis(200))
                .until(
                    "replica-c's partitions committed again by replica-a",
                    () -> progress.resumedAfter(stoppedAt, stoppedBaseline, stopped),
                    m -> m.values().stream().allMatch(Optional::isPresent));
        awaitMembers(progress, 1, a);
        producer.join();
        step("all messages produced");

        Map<String, Integer> expected = new LinkedHashMap<>();
        for (int d = 0; d < DEVICES; d++) {
          expected.put(device(run, d), MESSAGES / DEVICES);
        }
        assertThat(FhirCounts.awaitObservations(fhir.baseUrl(), expected, Duration.ofMinutes(10)))
            .isEqualTo(expected);
        long done = System.nanoTime();
        step("FHIR holds the expected counts");
        sampler.stop();

        String summary =
            String.format(
                "ScaleOutIT summary: %d messages of %d devices, %d partitions, offered %d/s,"
                    + " FHIR exact after %.1f s (%.0f Observations/s); session %s;"
                    + " commit gaps: steady state %s, scale-out 1->3 %s;"
                    + " SIGKILL: both groups rebalanced without it after %s, its %d partitions"
                    + " committed again by others within %s (%s),"
                    + " the survivors' longest commit gap %s; SIGTERM: handed over within %s; replicas: %s",
                MESSAGES,
                DEVICES,
                PARTITIONS,
                RATE,
                seconds(done - streamStart),
                MESSAGES / seconds(done - streamStart),
                KAFKA_PROPERTIES.isBlank() ? "defaults" : KAFKA_PROPERTIES,
                secs(progress.longestGap(streamStart, steadyEnd, progress.partitions())),
                secs(progress.longestGap(steadyEnd, scaledOut, progress.partitions())),
                secs(reassigned),
                killed.size(),
                secs(failoverTime),
                perPartition(failover),
                secs(survivorsPause),
                secs(longest(handedOver)),
                counters.values().stream().sorted().map(ReplicaCounters::toString).toList());
        System.out.println(summary);
        Files.writeString(logs.resolve("summary.txt"), summary + "\n");
        assertExactly(run, expected);
      }
      a.stop();
    }
  }

  /**
   * Every device holds exactly one heart-rate Observation per message: the count, and every page of
   * its Observations with one per expected effective time, none twice.
   */
  private static void assertExactly(String run, Map<String, Integer> expected) {
    List<String> wanted = new ArrayList<>();
    for (int j = 0; j < MESSAGES / DEVICES; j++) {
      wanted.add(T0.plusSeconds(j).toString());
    }
    for (int d = 0; d < DEVICES; d++) {
      String device = device(run, d);
      assertThat(FhirObservations.countOfDevice(fhir.baseUrl(), device))
          .as("Observations of " + device)
          .isEqualTo(expected.get(device));
      List<DeviceObservations.Reading> read = DeviceObservations.of(fhir.baseUrl(), device);
      assertThat(read).extracting(DeviceObservations.Reading::loinc).containsOnly("8867-4");
      assertThat(read)
          .extracting(DeviceObservations.Reading::effective)
          .as("effective times of " + device)
          .containsExactlyInAnyOrderElementsOf(wanted);
    }
  }

  /** Message i is device i % DEVICES's (i / DEVICES)th reading; paced at RATE, held by gates. */
  private static void produce(String run, Gates gates) {
    Map<String, Object> config =
        Map.of(
            "bootstrap.servers", broker.bootstrapServers(),
            "acks", "all",
            "linger.ms", "5");
    long start = System.nanoTime();
    long held = 0;
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < MESSAGES; i++) {
        held += gates.pass(i);
        long due = start + held + i * 1_000_000_000L / RATE;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        String device = device(run, i % DEVICES);
        String body =
            SampleMessages.heartRate(
                device, "p-" + device, T0.plusSeconds(i / DEVICES), 60 + i % 40);
        p.send(new ProducerRecord<>(run + "-events", device, body));
        gates.produced(i + 1);
      }
      p.flush();
    }
  }

  private static void awaitMembers(GroupProgress progress, int n, ServiceProcess... replicas) {
    List<Path> logs = java.util.Arrays.stream(replicas).map(r -> r.log).toList();
    Await.atMost(Duration.ofSeconds(120))
        .every(Duration.ofMillis(200))
        .until(
            n + " members in each stage's group, balanced (logs: " + logs + ")",
            progress::balancedMembers,
            m -> m.values().stream().allMatch(c -> c == n));
  }

  private static long testStart;

  private static void step(String what) {
    System.out.printf("ScaleOutIT +%.1f s: %s%n", seconds(System.nanoTime() - testStart), what);
  }

  private static Duration longest(Map<GroupPartition, Optional<Duration>> resumed) {
    return resumed.values().stream()
        .map(Optional::orElseThrow)
        .max(Duration::compareTo)
        .orElse(Duration.ZERO);
  }

  private static String perPartition(Map<GroupPartition, Optional<Duration>> resumed) {
    Map<String, String> sorted = new TreeMap<>();
    resumed.forEach((p, d) -> sorted.put(p.toString(), secs(d.orElseThrow())));
    return sorted.toString();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static String secs(Duration d) {
    return String.format("%.1f s", d.toMillis() / 1000.0);
  }

  /**
   * Holds the producer at fractions of the stream until the test opens them, so that each step
   * (scale-out, kill, stop) happens while messages still flow, however long a JVM takes to start.
   */
  private static final class Gates {
    private final int[] at;
    private final CountDownLatch[] open;
    private final AtomicInteger produced = new AtomicInteger();

    Gates(int messages, double... fractions) {
      at = new int[fractions.length];
      open = new CountDownLatch[fractions.length];
      for (int k = 0; k < fractions.length; k++) {
        at[k] = (int) (messages * fractions[k]);
        open[k] = new CountDownLatch(1);
      }
    }

    /** Waits at a closed gate; returns how long it waited, in nanoseconds. */
    long pass(int i) {
      long started = System.nanoTime();
      for (int k = 0; k < at.length; k++) {
        if (i == at[k]) {
          try {
            open[k].await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        }
      }
      return System.nanoTime() - started;
    }

    void open(int k) {
      open[k].countDown();
    }

    void produced(int n) {
      produced.set(n);
    }

    void awaitProduced(int n) {
      Await.atMost(Duration.ofMinutes(10))
          .every(Duration.ofMillis(50))
          .until("the producer at message " + n, produced::get, p -> p >= n);
    }
  }

  /** What a replica reported last: messages it read and Observations it saved, and when. */
  private static final class ReplicaCounters implements Comparable<ReplicaCounters> {
    final String name;
    final long firstSeen = System.nanoTime();
    volatile long lastSeen = firstSeen;
    volatile double read;
    volatile double saved;

    ReplicaCounters(String name) {
      this.name = name;
    }

    @Override
    public int compareTo(ReplicaCounters o) {
      return name.compareTo(o.name);
    }

    @Override
    public String toString() {
      double up = Math.max(1e-3, seconds(lastSeen - firstSeen));
      return String.format(
          "%s read %.0f (%.0f/s), saved %.0f Observations (%.0f/s) in %.0f s",
          name, read, read / up, saved, saved / up, up);
    }
  }

  /**
   * Samples the groups' commits every 200 ms and the live replicas' counters every second, on its
   * own thread, until stopped.
   */
  private static final class Sampler {
    private final GroupProgress progress;
    private final Map<String, ServiceProcess> live;
    private final Map<String, ReplicaCounters> counters;
    private final Thread thread;
    private volatile boolean running = true;

    Sampler(
        GroupProgress progress,
        Map<String, ServiceProcess> live,
        Map<String, ReplicaCounters> counters) {
      this.progress = progress;
      this.live = live;
      this.counters = counters;
      this.thread = new Thread(this::loop, "scale-sampler");
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
    }

    private void loop() {
      int tick = 0;
      while (running) {
        progress.sample();
        if (tick++ % 5 == 0) {
          for (ServiceProcess r : new ArrayList<>(live.values())) {
            scrape(r);
          }
        }
        LockSupport.parkNanos(200_000_000L);
      }
    }

    private void scrape(ServiceProcess r) {
      String body = r.get("/actuator/prometheus");
      if (!body.contains("iomt_")) {
        return; // being stopped or killed: keep what it reported last
      }
      ReplicaCounters c = counters.computeIfAbsent(r.name, ReplicaCounters::new);
      c.read = EventHubsSourceIT.metric(body, "iomt_incoming_messages_total", "connector=\"test\"");
      c.saved =
          EventHubsSourceIT.metric(body, "iomt_fhir_resources_saved_total", "connector=\"test\"");
      c.lastSeen = System.nanoTime();
    }
  }
}
