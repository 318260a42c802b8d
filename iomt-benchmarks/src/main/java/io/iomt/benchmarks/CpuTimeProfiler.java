package io.iomt.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Throughput per CPU-second of the benchmark threads, for a machine shared with other work: wall
 * clock throughput drops whenever another process takes the core, CPU time does not count that
 * time. Enable with {@code -prof io.iomt.benchmarks.CpuTimeProfiler}. Reports
 *
 * <ul>
 *   <li>{@code cpu.ops}: operations per CPU-second of the JMH worker threads (all operations of the
 *       iteration, including the few outside the measured window, over all of the workers' CPU
 *       time);
 *   <li>{@code cpu.share}: the workers' CPU time over the iteration's wall time, per thread: near 1
 *       on an idle machine, lower when the benchmark had to share its core.
 * </ul>
 *
 * GC and JIT threads are not counted: allocation cost shows up through {@code -prof gc} instead.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private static final String WORKER = "-jmh-worker-";

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private Map<Long, Long> before = Map.of();
  private long wallStart;

  public CpuTimeProfiler() {
    if (!threads.isThreadCpuTimeSupported()) {
      throw new IllegalStateException("This JVM cannot measure thread CPU time");
    }
    threads.setThreadCpuTimeEnabled(true);
  }

  @Override
  public String getDescription() {
    return "Operations per CPU-second of the benchmark threads (robust to other load)";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    before = workerCpuTimes();
    wallStart = System.nanoTime();
  }

  @Override
  public List<ScalarResult> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long wall = System.nanoTime() - wallStart;
    long cpu = 0;
    for (Map.Entry<Long, Long> e : workerCpuTimes().entrySet()) {
      cpu += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    long ops = result.getMetadata().getAllOps();
    if (cpu <= 0 || wall <= 0) {
      return List.of();
    }
    int threadCount = benchmarkParams.getThreads();
    return List.of(
        new ScalarResult("cpu.ops", ops / (cpu / 1e9), "ops/cpu-s", AggregationPolicy.AVG),
        new ScalarResult(
            "cpu.share", (double) cpu / wall / threadCount, "cpu/wall", AggregationPolicy.AVG));
  }

  private Map<Long, Long> workerCpuTimes() {
    Map<Long, Long> times = new HashMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().contains(WORKER)) {
        long time = threads.getThreadCpuTime(t.getId());
        if (time >= 0) {
          times.put(t.getId(), time);
        }
      }
    }
    return times;
  }
}
