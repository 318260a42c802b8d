package io.iomt.service.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a topic newest first across its partitions, with a consumer in no group that it assigns and
 * seeks (nothing is committed): each partition is read backwards from its end (or from a {@link
 * TopicCursor}) in chunks, and the partitions' records are merged by timestamp, newest first. The
 * read is bounded in records looked at and in time: when a bound is hit, the page holds what was
 * found and its cursor continues from there. Not thread-safe; one read per instance.
 */
final class NewestFirst {
  /** How many records one backward step reads per partition. */
  static final int CHUNK = 200;

  /**
   * Bounds of one read.
   *
   * @param maxScanned records looked at (matching or not) before the page ends
   * @param maxTime wall time (by the clock given) before the page ends
   */
  record Bounds(int maxScanned, Duration maxTime) {}

  /**
   * One page: the matching records, newest first, and where the next page starts (null when the
   * topic holds nothing older).
   */
  record Page(List<ConsumerRecord<byte[], byte[]>> records, TopicCursor next) {}

  /** One partition being read backwards. */
  private static final class Partition {
    final TopicPartition tp;
    final long low;
    long readFrom;
    final Deque<ConsumerRecord<byte[], byte[]>> buffer = new ArrayDeque<>();

    Partition(TopicPartition tp, long low, long high) {
      this.tp = tp;
      this.low = low;
      this.readFrom = Math.max(low, high);
    }

    boolean exhausted() {
      return buffer.isEmpty() && readFrom <= low;
    }

    long bound() {
      return buffer.isEmpty() ? readFrom : buffer.peekFirst().offset() + 1;
    }
  }

  private final Consumer<byte[], byte[]> consumer;
  private final Clock clock;
  private final Bounds bounds;
  private final Instant deadline;

  NewestFirst(Consumer<byte[], byte[]> consumer, Clock clock, Bounds bounds) {
    this.consumer = consumer;
    this.clock = clock;
    this.bounds = bounds;
    this.deadline = clock.instant().plus(bounds.maxTime());
  }

  /**
   * Reads up to {@code limit} records of {@code topic} that {@code filter} accepts.
   *
   * @param before where to start (exclusive, per partition), or null for the ends
   * @param from records older than this are not read (their partition ends there), or null
   */
  Page read(
      String topic,
      TopicCursor before,
      Instant from,
      Predicate<ConsumerRecord<byte[], byte[]>> filter,
      int limit) {
    return read(topic, before, from, Map.of(), filter, limit);
  }

  /**
   * {@link #read(String, TopicCursor, Instant, Predicate, int)} that also reads no record below
   * {@code minOffsets} of its partition.
   */
  Page read(
      String topic,
      TopicCursor before,
      Instant from,
      Map<Integer, Long> minOffsets,
      Predicate<ConsumerRecord<byte[], byte[]>> filter,
      int limit) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, remaining());
    if (infos == null || infos.isEmpty()) {
      return new Page(List.of(), null);
    }
    List<TopicPartition> tps = new ArrayList<>();
    for (PartitionInfo i : infos) {
      tps.add(new TopicPartition(topic, i.partition()));
    }
    Map<TopicPartition, Long> begins = consumer.beginningOffsets(tps, remaining());
    Map<TopicPartition, Long> ends = consumer.endOffsets(tps, remaining());
    Map<TopicPartition, Long> lows = new HashMap<>(begins);
    if (from != null) {
      Map<TopicPartition, Long> times = new HashMap<>();
      tps.forEach(tp -> times.put(tp, from.toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> at = consumer.offsetsForTimes(times, remaining());
      for (TopicPartition tp : tps) {
        OffsetAndTimestamp o = at.get(tp);
        lows.put(tp, Math.max(begins.get(tp), o == null ? ends.get(tp) : o.offset()));
      }
    }
    List<Partition> partitions = new ArrayList<>();
    for (TopicPartition tp : tps) {
      long end = ends.get(tp);
      long high = before == null ? end : Math.min(end, before.before(tp.partition(), end));
      long low = Math.max(lows.get(tp), minOffsets.getOrDefault(tp.partition(), 0L));
      partitions.add(new Partition(tp, low, high));
    }
    List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
    int scanned = 0;
    while (found.size() < limit) {
      for (Partition p : partitions) {
        while (p.buffer.isEmpty() && p.readFrom > p.low) {
          if (!fill(p)) { // a chunk may hold no record (transaction markers, compaction)
            return new Page(found, cursor(partitions));
          }
        }
      }
      Partition newest = null;
      for (Partition p : partitions) {
        if (!p.buffer.isEmpty()
            && (newest == null
                || p.buffer.peekFirst().timestamp() > newest.buffer.peekFirst().timestamp())) {
          newest = p;
        }
      }
      if (newest == null) {
        return new Page(found, null);
      }
      ConsumerRecord<byte[], byte[]> r = newest.buffer.pollFirst();
      scanned++;
      if (filter.test(r)) {
        found.add(r);
      }
      if (found.size() < limit && (scanned >= bounds.maxScanned() || timeIsUp())) {
        return new Page(found, cursor(partitions));
      }
    }
    return new Page(found, cursor(partitions));
  }

  /** The cursor of the current state, or null when every partition is read to its low end. */
  private static TopicCursor cursor(List<Partition> partitions) {
    if (partitions.stream().allMatch(Partition::exhausted)) {
      return null;
    }
    Map<Integer, Long> before = new HashMap<>();
    partitions.forEach(p -> before.put(p.tp.partition(), p.bound()));
    return new TopicCursor(before);
  }

  /**
   * Reads the chunk below {@code p.readFrom} into its buffer, newest first; false (buffer left
   * empty) when the time ran out before the chunk was read whole.
   */
  private boolean fill(Partition p) {
    long start = Math.max(p.low, p.readFrom - CHUNK);
    long stop = p.readFrom;
    consumer.assign(List.of(p.tp));
    consumer.seek(p.tp, start);
    List<ConsumerRecord<byte[], byte[]>> chunk = new ArrayList<>();
    while (consumer.position(p.tp, remaining()) < stop) {
      if (timeIsUp()) {
        return false;
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200)).records(p.tp)) {
        if (r.offset() >= start && r.offset() < stop) {
          chunk.add(r);
        }
      }
    }
    Collections.reverse(chunk);
    p.buffer.addAll(chunk);
    p.readFrom = start;
    return true;
  }

  private boolean timeIsUp() {
    return !clock.instant().isBefore(deadline);
  }

  private Duration remaining() {
    Duration left = Duration.between(clock.instant(), deadline);
    return left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left;
  }
}
