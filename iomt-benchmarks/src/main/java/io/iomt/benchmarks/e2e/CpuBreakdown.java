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
 * per thread, so they are in the process total only), plus the JVM's reported compilation and GC
 * pause time and the machine's busy time from {@code /proc/stat}, which shows how much other
 * processes took. Threads that end during the phase lose their share, so phases take their second
 * snapshot before stopping anything.
 */
final class CpuBreakdown {
  static final String[] CATEGORIES = {
    "FHIR server (Tomcat http-nio-*)",
    "connector normalize stage",
    "connector group stage (incl. FHIR client)",
    "Kafka client threads",
    "JDK HttpClient threads",
    "load generator thread",
    "other threads (broker, HAPI jobs, ...)",
    "outside Java threads (JIT, GC, VM)"
  };

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
      Map<String, Double> byCategorySeconds) {}

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
    by.put(CATEGORIES[CATEGORIES.length - 1], Math.max(0, process - inThreads));
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
      return CATEGORIES[5];
    }
    if (name.startsWith("http-nio-")) {
      return CATEGORIES[0];
    }
    if (name.startsWith("iomt-") && name.endsWith("-normalize")) {
      return CATEGORIES[1];
    }
    if (name.startsWith("iomt-") && name.endsWith("-group")) {
      return CATEGORIES[2];
    }
    if (name.startsWith("kafka-producer-network-thread")
        || name.startsWith("kafka-coordinator-heartbeat-thread")) {
      return CATEGORIES[3];
    }
    if (name.startsWith("HttpClient-")) {
      return CATEGORIES[4];
    }
    return CATEGORIES[6];
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
