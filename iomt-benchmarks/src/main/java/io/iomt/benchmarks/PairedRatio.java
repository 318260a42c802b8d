package io.iomt.benchmarks;

import io.iomt.benchmarks.DeviceMessages.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * A cross-check of the JMH ratios for a machine shared with other work. JMH runs the three
 * benchmarks one after the other, so when the load of other processes changes between them, their
 * ratio changes too. This runs the same three operations (the methods of {@link
 * NormalizationBenchmark}) in one JVM, in short alternating slices whose order rotates every round,
 * and reports the median and quartiles of the per-round ratios, by wall time and by this thread's
 * CPU time. Not a replacement for JMH: a cross-check of its ratio.
 *
 * <p>{@code java -cp iomt-benchmarks/target/benchmarks.jar io.iomt.benchmarks.PairedRatio [rounds
 * [sliceMillis [warmupSeconds]]]} (defaults 40, 250, 30).
 */
public final class PairedRatio {
  private static final String[] NAMES = {"parseOnly", "normalizeJsonPath", "normalizeJmesPath"};

  private final NormalizationBenchmark benchmark = new NormalizationBenchmark();
  private final Sample[] samples;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private long sink;
  private int next;

  private PairedRatio() {
    benchmark.setUp();
    samples = benchmark.samples();
  }

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    long sliceNanos = (args.length > 1 ? Long.parseLong(args[1]) : 250) * 1_000_000L;
    long warmupNanos = (args.length > 2 ? Long.parseLong(args[2]) : 30) * 1_000_000_000L;
    new PairedRatio().run(rounds, sliceNanos, warmupNanos);
  }

  private void run(int rounds, long sliceNanos, long warmupNanos) {
    long warmupEnd = System.nanoTime() + warmupNanos;
    while (System.nanoTime() < warmupEnd) {
      for (int v = 0; v < NAMES.length; v++) {
        slice(v, sliceNanos);
      }
    }
    double[][] wall = new double[NAMES.length][rounds];
    double[][] cpu = new double[NAMES.length][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < NAMES.length; k++) {
        int v = (k + r) % NAMES.length;
        long cpuStart = threads.getCurrentThreadCpuTime();
        long wallStart = System.nanoTime();
        long ops = slice(v, sliceNanos);
        long wallNanos = System.nanoTime() - wallStart;
        long cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
        wall[v][r] = ops / (wallNanos / 1e9);
        cpu[v][r] = ops / (cpuNanos / 1e9);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%d rounds of %d ms slices per operation, after %d s warm-up%n",
        rounds,
        sliceNanos / 1_000_000,
        warmupNanos / 1_000_000_000);
    System.out.printf(
        Locale.ROOT, "%-20s %16s %16s%n", "operation", "median ops/s", "median ops/cpu-s");
    for (int v = 0; v < NAMES.length; v++) {
      System.out.printf(
          Locale.ROOT,
          "%-20s %16.0f %16.0f%n",
          NAMES[v],
          quantile(wall[v], 0.5),
          quantile(cpu[v], 0.5));
    }
    System.out.printf(
        Locale.ROOT,
        "%-34s %22s %22s%n",
        "per-round ratio",
        "wall p25 / median / p75",
        "cpu p25 / median / p75");
    for (int v = 1; v < NAMES.length; v++) {
      System.out.printf(
          Locale.ROOT,
          "%-34s %22s %22s%n",
          NAMES[v] + "/" + NAMES[0],
          quartiles(ratios(wall[v], wall[0])),
          quartiles(ratios(cpu[v], cpu[0])));
    }
    if (sink == 42) {
      System.out.println();
    }
  }

  /** Runs operation {@code v} for about {@code nanos}; returns the number of operations. */
  private long slice(int v, long nanos) {
    long end = System.nanoTime() + nanos;
    long ops = 0;
    long acc = 0;
    do {
      Sample sample = samples[next++ & (samples.length - 1)];
      Object result =
          switch (v) {
            case 0 -> parse(sample);
            case 1 -> benchmark.normalize(benchmark.jsonPathMapping(), sample);
            default -> benchmark.normalize(benchmark.jmesPathMapping(), sample);
          };
      acc += System.identityHashCode(result);
      ops++;
    } while (System.nanoTime() < end);
    sink += acc;
    return ops;
  }

  private Object parse(Sample sample) {
    try {
      return benchmark.parse(sample);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double[] ratios(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] / b[i];
    }
    return out;
  }

  private static String quartiles(double[] values) {
    return String.format(
        Locale.ROOT,
        "%.2f / %.2f / %.2f",
        quantile(values, 0.25),
        quantile(values, 0.5),
        quantile(values, 0.75));
  }

  private static double quantile(double[] values, double q) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }
}
