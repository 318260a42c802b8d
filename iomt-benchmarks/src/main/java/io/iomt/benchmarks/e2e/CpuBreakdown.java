package io.iomt.benchmarks.e2e;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the CPU of a phase went: this process's CPU time split by thread (grouped by thread name:
 * FHIR server request threads, the connector's two stages, Kafka client threads, HTTP client
 * threads, the load generator's own thread, the rest; JIT compiler and GC threads are not visible
 * per thread, so they are in the process total only; the embedded broker's threads by their names),
 * plus the JVM's reported compilation and GC pause time and the machine's busy time from {@code
 * /proc/stat}, which shows how much other processes took. Threads that end during the phase lose
 * their share, so phases take their second snapshot before stopping anything.
 */
final class CpuBreakdown {
  static final String FHIR_SERVER = "FHIR server (Tomcat http-nio-*)";
  static final String NORMALIZE = "connector normalize stage";
  static final String GROUP = "connector group stage (incl. FHIR client)";
  static final String KAFKA_CLIENTS = "Kafka client threads";
  static final String BROKER = "Kafka broker (embedded)";
  static final String HTTP_CLIENTS = "JDK HttpClient threads";
  static final String PROXY = "latency proxy";
  static final String PLAIN_LOADER = "plain loader threads";
  static final String LOAD_GENERATOR = "load generator thread";
  static final String OTHER = "other threads (HAPI jobs, ...)";
  static final String OUTSIDE = "outside Java threads (JIT, GC, VM)";

  static final String[] CATEGORIES = {
    FHIR_SERVER,
    NORMALIZE,
    GROUP,
    KAFKA_CLIENTS,
    BROKER,
    HTTP_CLIENTS,
    PROXY,
    PLAIN_LOADER,
    LOAD_GENERATOR,
    OTHER,
    OUTSIDE
  };

  /**
   * The categories that are not the connector's own cost: the FHIR server, the proxy in front of
   * it, and the load generator's own threads (producing load, the plain loader).
   */
  static final java.util.Set<String> NOT_CONNECTOR =
      java.util.Set.of(FHIR_SERVER, PROXY, PLAIN_LOADER, LOAD_GENERATOR);

  /** CPU of one moment: per thread, of the process, and of the machine. */
  record Snapshot(
      long wallNanos,
      long processCpuNanos,
      Map<Long, String> names,
      Map<Long, Long> threadCpuNanos,
      long machineBusyTicks,
      long machineTotalTicks,
      long jitMillis,
      long gcMillis) {}

  /** A phase's CPU in seconds by category, with the process and machine totals. */
  record Result(
      double wallSeconds,
      double processCpuSeconds,
      double machineBusyCores,
      double jitSeconds,
      double gcSeconds,
      Map<String, Double> byCategorySeconds) {

    /**
     * The process's CPU less the FHIR server's, the proxy's and the load generator's threads: what
     * the connector, its broker and the JVM under them (JIT, GC: not split by thread) cost.
     */
    double connectorSeconds() {
      double excluded = 0;
      for (String c : NOT_CONNECTOR) {
        excluded += byCategorySeconds.getOrDefault(c, 0.0);
      }
      return processCpuSeconds - excluded;
    }
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private CpuBreakdown() {}

  static Snapshot snapshot() {
    Map<Long, String> names = new HashMap<>();
    Map<Long, Long> cpu = new HashMap<>();
    long main = Thread.currentThread().getId();
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long t = THREADS.getThreadCpuTime(info.getThreadId());
      if (t >= 0) {
        names.put(
            info.getThreadId(),
            info.getThreadId() == main ? "\0load-generator" : info.getThreadName());
        cpu.put(info.getThreadId(), t);
      }
    }
    long[] machine = machineTicks();
    long gc = 0;
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      gc += Math.max(0, b.getCollectionTime());
    }
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return new Snapshot(
        System.nanoTime(),
        processCpu(),
        names,
        cpu,
        machine[0],
        machine[1],
        jit == null ? 0 : jit.getTotalCompilationTime(),
        gc);
  }

  static Result between(Snapshot a, Snapshot b) {
    Map<String, Double> by = new LinkedHashMap<>();
    for (String c : CATEGORIES) {
      by.put(c, 0.0);
    }
    double inThreads = 0;
    for (Map.Entry<Long, Long> e : b.threadCpuNanos().entrySet()) {
      long before = a.threadCpuNanos().getOrDefault(e.getKey(), 0L);
      double s = (e.getValue() - before) / 1e9;
      inThreads += s;
      by.merge(category(b.names().get(e.getKey())), s, Double::sum);
    }
    double process = (b.processCpuNanos() - a.processCpuNanos()) / 1e9;
    by.put(OUTSIDE, Math.max(0, process - inThreads));
    double wall = (b.wallNanos() - a.wallNanos()) / 1e9;
    long total = b.machineTotalTicks() - a.machineTotalTicks();
    double busyCores =
        total <= 0
            ? Double.NaN
            : (double) (b.machineBusyTicks() - a.machineBusyTicks())
                / total
                * Runtime.getRuntime().availableProcessors();
    return new Result(
        wall,
        process,
        busyCores,
        (b.jitMillis() - a.jitMillis()) / 1e3,
        (b.gcMillis() - a.gcMillis()) / 1e3,
        by);
  }

  static String category(String name) {
    if (name.equals("\0load-generator")) {
      return LOAD_GENERATOR;
    }
    if (name.startsWith("http-nio-")) {
      return FHIR_SERVER;
    }
    if (name.startsWith("iomt-") && name.endsWith("-normalize")) {
      return NORMALIZE;
    }
    if (name.startsWith("iomt-") && name.endsWith("-group")) {
      return GROUP;
    }
    if (name.startsWith("kafka-producer-network-thread")
        || name.startsWith("kafka-coordinator-heartbeat-thread")
        || name.startsWith("consumer_background_thread")) {
      return KAFKA_CLIENTS;
    }
    if (name.startsWith("HttpClient-")) {
      return HTTP_CLIENTS;
    }
    if (name.startsWith("fault-injecting-proxy")) {
      return PROXY;
    }
    if (name.startsWith("plain-loader")) {
      return PLAIN_LOADER;
    }
    if (isBroker(name)) {
      return BROKER;
    }
    return OTHER;
  }

  /** The embedded KRaft broker's (and controller's) threads, by their names in Kafka 3.x/4.x. */
  private static boolean isBroker(String name) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    return n.contains("kafka")
        || n.startsWith("broker-")
        || n.startsWith("controller-")
        || n.startsWith("quorum-controller")
        || n.contains("raft")
        || n.startsWith("expirationreaper")
        || n.startsWith("group-coordinator")
        || n.startsWith("share-coordinator")
        || n.startsWith("transaction-")
        || n.startsWith("txnmarkersender")
        || n.startsWith("logdirfailurehandler")
        || n.startsWith("data-plane")
        || n.startsWith("replicafetcher")
        || n.startsWith("executor-")
        || n.startsWith("metadata-")
        || n.startsWith("log-cleaner")
        || n.startsWith("scheduler-");
  }

  /** The threads of a category with the most CPU between two snapshots, for a look at names. */
  static java.util.List<String> top(Snapshot a, Snapshot b, String category, int count) {
    return b.threadCpuNanos().entrySet().stream()
        .filter(e -> category(b.names().get(e.getKey())).equals(category))
        .sorted(
            java.util.Comparator.comparingLong(
                (Map.Entry<Long, Long> e) ->
                    -(e.getValue() - a.threadCpuNanos().getOrDefault(e.getKey(), 0L))))
        .limit(count)
        .map(
            e ->
                String.format(
                    java.util.Locale.ROOT,
                    "%s %.2f s",
                    b.names().get(e.getKey()),
                    (e.getValue() - a.threadCpuNanos().getOrDefault(e.getKey(), 0L)) / 1e9))
        .toList();
  }

  private static long processCpu() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  /** {busy, total} jiffies of all CPUs from the first line of /proc/stat; zeros elsewhere. */
  private static long[] machineTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0};
    }
  }
}
