package io.iomt.benchmarks;

import io.iomt.core.measurement.Measurement;
import io.iomt.core.measurement.MeasurementProperty;
import io.iomt.pipeline.BufferedRecord;
import io.iomt.pipeline.FlushPolicy;
import io.iomt.pipeline.MeasurementCodec;
import io.iomt.pipeline.PartitionBuffer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * How much heap the group stage's buffers retain per 100,000 buffered heart-rate measurements: the
 * records are made as the Kafka consumer hands them over (fresh key and value arrays, own headers),
 * spread over 8 partition buffers as the stage fills them, then everything but the buffers is let
 * go; used heap after full GCs, before and after, is the cost. {@code stage} is what the stage
 * keeps now ({@link BufferedRecord}), {@code decoded} what it kept before (the decoded measurement
 * plus the whole consumer record).
 *
 * <p>Run: {@code java -Xmx1g -XX:+UseSerialGC -cp iomt-benchmarks/target/classes:$(cat
 * iomt-benchmarks/target/e2e.classpath) io.iomt.benchmarks.BufferMemory [count]}; see
 * docs/benchmarks.md ("Group stage buffer memory").
 */
public final class BufferMemory {
  private static final int PARTITIONS = 8;
  private static final int DEVICES = 1_000;
  private static final Instant START = Instant.parse("2026-11-26T08:00:00Z");

  /** What the stage kept per record before: the decoded measurement and the consumer record. */
  private record Decoded(Measurement measurement, ConsumerRecord<byte[], byte[]> record) {}

  private BufferMemory() {}

  public static void main(String[] args) {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    System.out.printf(
        Locale.ROOT,
        "%,d heart-rate measurements of %,d devices, %d bytes of value on average%n",
        count,
        DEVICES,
        averageValueBytes(count));
    for (int round = 1; round <= 3; round++) {
      report(
          "decoded (before)",
          round,
          count,
          r -> new Decoded(MeasurementCodec.decode(r.value()), r));
      report("stage (BufferedRecord)", round, count, BufferedRecord::of);
    }
  }

  private static void report(
      String what, int round, int count, Function<ConsumerRecord<byte[], byte[]>, ?> keep) {
    long before = usedAfterGc();
    List<PartitionBuffer<Object>> buffers = fill(count, keep);
    long after = usedAfterGc();
    long bytes = after - before;
    System.out.printf(
        Locale.ROOT,
        "round %d  %-24s %6.1f MB per %,d buffered (%,d bytes each; %d buffers)%n",
        round,
        what,
        bytes / (1024.0 * 1024.0) * 100_000 / count,
        100_000,
        bytes / count,
        buffers.size());
  }

  /** Fills one buffer per partition as the stage does, keeping what {@code keep} makes. */
  private static List<PartitionBuffer<Object>> fill(
      int count, Function<ConsumerRecord<byte[], byte[]>, ?> keep) {
    FlushPolicy policy = new FlushPolicy(Integer.MAX_VALUE, Duration.ofDays(1), Long.MAX_VALUE);
    List<PartitionBuffer<Object>> buffers = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      buffers.add(new PartitionBuffer<>(policy));
    }
    Instant now = Instant.now();
    for (int i = 0; i < count; i++) {
      ConsumerRecord<byte[], byte[]> record = record(i);
      buffers
          .get(record.partition())
          .add(keep.apply(record), record.offset(), record.serializedValueSize(), now);
    }
    return buffers;
  }

  /** The i-th normalized record, as the consumer delivers it. */
  static ConsumerRecord<byte[], byte[]> record(int i) {
    int device = i % DEVICES;
    String id = String.format(Locale.ROOT, "icu-3f9c2a17-d%04d", device);
    Measurement m =
        new Measurement(
            "heartrate",
            START.plusSeconds(i / DEVICES),
            START.plusSeconds(i / DEVICES).plusMillis(120),
            id,
            String.format(Locale.ROOT, "icu-3f9c2a17-p%04d", device),
            null,
            null,
            List.of(new MeasurementProperty("hr", Integer.toString(60 + i % 40))));
    byte[] key = id.getBytes(StandardCharsets.UTF_8);
    byte[] value = MeasurementCodec.encode(m);
    int partition = device % PARTITIONS;
    return new ConsumerRecord<>(
        "icu-normalized",
        partition,
        i / PARTITIONS,
        START.toEpochMilli() + i,
        TimestampType.CREATE_TIME,
        key.length,
        value.length,
        key,
        value,
        new RecordHeaders(),
        Optional.empty());
  }

  private static int averageValueBytes(int count) {
    long sum = 0;
    int n = Math.min(count, 1000);
    for (int i = 0; i < n; i++) {
      sum += record(i).serializedValueSize();
    }
    return (int) (sum / n);
  }

  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
