package io.iomt.pipeline;

import io.iomt.core.error.FhirServiceException;
import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.retry.Backoff;
import io.iomt.fhir.write.ObservationWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The group + convert stage of one connector: buffers the records of each partition of the
 * normalized topic, and when the {@link FlushPolicy} says so groups them, writes Observations
 * through the {@link ObservationWriter}, and only then commits the partition's offsets.
 *
 * <p><b>Concurrency.</b> Flushes run on a small pool of writer threads owned by the stage, at most
 * {@link Config#maxConcurrentWrites()} at once, and at most one per partition, so the groups of a
 * partition (hence of a device, which is keyed to one) are written in offset order. The consumer
 * stays on the stage's thread: it polls, buffers, starts the flushes that are due, and takes the
 * results of finished ones, committing their offsets (a partition's in order: its next flush starts
 * only once the previous one's result is taken). While flushes are in flight it polls with a short
 * timeout, so that finished flushes are committed promptly.
 *
 * <p><b>Memory.</b> A buffered record keeps its bytes only ({@link BufferedRecord}); it is decoded
 * when flushed. Once the record values buffered and in flight reach {@link
 * FlushPolicy#maxBufferedBytes()}, every partition is paused (polling goes on, so the stage stays
 * in its group) and every buffer is flushed, until they are below three quarters of it: nothing is
 * dropped.
 *
 * <p><b>Errors.</b> While the FHIR server fails (a blocking {@link FhirServiceException}), the
 * affected partitions pause, nothing of theirs is committed, their batch goes back in front of the
 * buffer, and writing resumes by itself with {@link Backoff} (full jitter); the others go on. A
 * revoked partition's flush in flight is waited for and committed if it succeeded, and the rest of
 * its buffer is flushed first only when the server is known to work; during an outage it is
 * released at once, uncommitted, so that its new owner replays it and the rebalance is not held up
 * by a retry cycle. A lost partition's results are never committed. Groups the writer rejects,
 * records that cannot be decoded or grouped, and groups whose conversion fails in any unexpected
 * way (e.g. after a mapping edit) go to the error topic with their source records, so no group can
 * stall a partition.
 *
 * <p><b>Lifecycle.</b> The stage owns its consumer, producer and writer threads and releases them
 * when {@link #run()} ends, after waiting (bounded) for the flushes in flight and committing what
 * they wrote. Not thread-safe: one thread runs it; {@link #close()} may be called from another.
 */
public final class GroupStage implements Stage {
  /** The default bound of flushes (hence FHIR requests) in flight at once per stage. */
  public static final int DEFAULT_MAX_CONCURRENT_WRITES = 4;

  /** How long a poll waits while flushes are in flight, so their results are taken promptly. */
  static final Duration IN_FLIGHT_POLL = Duration.ofMillis(5);

  /** How long a revocation or the end of {@link #run()} waits for flushes in flight. */
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Topic, flush policy, polling, backoff and write concurrency of the stage.
   *
   * @param maxConcurrentWrites flushes in flight at once, at least 1
   * @param threadName the prefix of the writer threads' names, e.g. {@code iomt-icu-group}
   */
  public record Config(
      String normalizedTopic,
      FlushPolicy flush,
      Duration pollTimeout,
      Backoff backoff,
      int maxConcurrentWrites,
      String threadName) {
    public Config {
      if (maxConcurrentWrites < 1) {
        throw new IllegalArgumentException(
            "maxConcurrentWrites must be at least 1, got " + maxConcurrentWrites);
      }
    }

    /** {@value #DEFAULT_MAX_CONCURRENT_WRITES} writes at once, threads named after the topic. */
    public Config(
        String normalizedTopic, FlushPolicy flush, Duration pollTimeout, Backoff backoff) {
      this(
          normalizedTopic,
          flush,
          pollTimeout,
          backoff,
          DEFAULT_MAX_CONCURRENT_WRITES,
          "iomt-group-" + normalizedTopic);
    }
  }

  /** A partition's buffer, its consecutive write failures and its flush in flight, if any. */
  private final class Partition {
    final PartitionBuffer<BufferedRecord> buffer = new PartitionBuffer<>(config.flush());
    final Backoff.Attempts attempts = config.backoff().withClock(clock).attempts();
    InFlight inFlight;

    boolean blocked() {
      return attempts.retryAt() != null;
    }
  }

  /** A flush being written: whose, what, and its result to come. */
  private record InFlight(
      TopicPartition tp,
      Partition owner,
      PartitionBuffer.Batch<BufferedRecord> batch,
      Instant firstSeen,
      CompletableFuture<GroupFlush.Outcome> result) {}

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final GroupFlush flusher;
  private final Config config;
  private final Clock clock;
  private final StageMetrics metrics;
  private final StatusHolder status;
  private final ThreadPoolExecutor writers;
  private final Map<TopicPartition, Partition> partitions = new HashMap<>();
  private final List<InFlight> inFlight = new ArrayList<>();
  private FhirServiceException lastError;
  private boolean overLimit;
  private long reportedBytes = -1;
  private int reportedInFlight = -1;
  private volatile boolean running = true;

  public GroupStage(
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> producer,
      FhirMapping mapping,
      ObservationWriter writer,
      DeadLetters deadLetters,
      Config config,
      Clock clock,
      StageMetrics metrics,
      StatusHolder status) {
    this.consumer = consumer;
    this.producer = producer;
    this.flusher = new GroupFlush(producer, mapping, writer, deadLetters, clock, metrics);
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    this.status = status;
    this.writers =
        new ThreadPoolExecutor(
            config.maxConcurrentWrites(),
            config.maxConcurrentWrites(),
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            daemonThreads(config.threadName() + "-write-"));
    writers.allowCoreThreadTimeOut(true);
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, prefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public StageName name() {
    return StageName.GROUP;
  }

  @Override
  public StageStatus status() {
    return status.get();
  }

  /** Subscribes with the rebalance handling; {@link #run()} does this itself. */
  public void subscribe() {
    status.set(new StageStatus.Running());
    consumer.subscribe(
        List.of(config.normalizedTopic()),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            revoke(revoked);
          }

          @Override
          public void onPartitionsLost(Collection<TopicPartition> lost) {
            lose(lost);
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            applyPauses();
          }
        });
  }

  /**
   * Gives partitions up. A revoked partition's flush in flight is waited for (bounded) and
   * committed if it succeeded; then what is left in the revoked buffers is flushed, at once and
   * concurrently, if the FHIR server is known to work; while any partition is blocked (the server
   * is down) none is, so the rebalance never waits for a retry cycle. What is not flushed stays
   * uncommitted and is replayed by the new owner.
   */
  void revoke(Collection<TopicPartition> revoked) {
    List<InFlight> ours = new ArrayList<>();
    for (TopicPartition tp : revoked) {
      Partition p = partitions.get(tp);
      if (p != null && p.inFlight != null) {
        ours.add(p.inFlight);
      }
    }
    settle(ours);
    boolean serverDown = anyBlocked();
    if (!serverDown) {
      List<InFlight> rest = new ArrayList<>();
      for (TopicPartition tp : revoked) {
        Partition p = partitions.get(tp);
        if (p != null && !p.buffer.isEmpty() && !stillWriting(tp)) {
          rest.add(start(tp, p));
        }
      }
      settle(rest);
    }
    revoked.forEach(partitions::remove);
    updateStatus();
    report();
  }

  /**
   * Drops partitions that are already someone else's: their buffers go, their flushes in flight end
   * on their own and what those wrote is never committed here (the new owner replays it, which the
   * idempotent writes make harmless).
   */
  void lose(Collection<TopicPartition> lost) {
    lost.forEach(partitions::remove);
    updateStatus();
    report();
  }

  /** Waits (bounded) for these flushes and takes their results; the others stay in flight. */
  private void settle(List<InFlight> flushes) {
    if (flushes.isEmpty()) {
      return;
    }
    try {
      CompletableFuture.allOf(
              flushes.stream().map(InFlight::result).toArray(CompletableFuture[]::new))
          .get(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Failed ones are rethrown by collect; unfinished ones stay in flight, uncommitted.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    collect();
  }

  @Override
  public void run() {
    subscribe();
    try {
      PollLoop.run(consumer, () -> running, this::runOnce, () -> awaitFlushes(DRAIN_TIMEOUT));
      status.set(new StageStatus.Stopped("closed"));
    } finally {
      writers.shutdownNow();
      report(0, 0);
      producer.close();
    }
  }

  /**
   * One round: take the results of finished flushes (committing what they wrote), poll, buffer,
   * start the flushes that are due up to the bound, and pause or resume consumption.
   */
  public void runOnce() {
    collect();
    Duration timeout =
        inFlight.isEmpty() || config.pollTimeout().compareTo(IN_FLIGHT_POLL) < 0
            ? config.pollTimeout()
            : IN_FLIGHT_POLL;
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
      TopicPartition tp = new TopicPartition(record.topic(), record.partition());
      Partition p = partitions.computeIfAbsent(tp, k -> new Partition());
      BufferedRecord buffered = BufferedRecord.of(record);
      p.buffer.add(buffered, record.offset(), buffered.size(), clock.instant());
    }
    overLimit();
    startDue();
    applyPauses();
    report();
  }

  /**
   * Waits until no flush is in flight or {@code timeout} passed, taking results (and committing
   * them) as they come.
   *
   * @return whether every flush ended
   */
  public boolean awaitFlushes(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!inFlight.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        CompletableFuture.anyOf(
                inFlight.stream().map(InFlight::result).toArray(CompletableFuture[]::new))
            .get(left, TimeUnit.NANOSECONDS);
      } catch (ExecutionException | TimeoutException e) {
        // A failed flush is rethrown by collect; a timeout ends the loop above.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      collect();
      applyPauses();
      report();
    }
    return true;
  }

  /**
   * Starts the flushes that are due, the longest-waiting buffers first, up to the bound: {@link
   * Config#maxConcurrentWrites()}, or one while any partition is blocked. A server that failed (a
   * timeout, a 5xx that outlasted the retries) is probed with one flush at a time until one goes
   * through, instead of being sent every partition's retry at once on top of the requests it may
   * still be working on.
   */
  private void startDue() {
    int limit = anyBlocked() ? 1 : config.maxConcurrentWrites();
    if (inFlight.size() >= limit) {
      return;
    }
    Instant now = clock.instant();
    List<Map.Entry<TopicPartition, Partition>> due = new ArrayList<>();
    for (Map.Entry<TopicPartition, Partition> e : partitions.entrySet()) {
      Partition p = e.getValue();
      if (p.inFlight != null
          || p.attempts.waiting()
          || p.buffer.isEmpty()
          || stillWriting(e.getKey())) {
        continue;
      }
      if (p.blocked() || overLimit || p.buffer.isDue(now)) {
        due.add(e);
      }
    }
    if (due.size() > limit - inFlight.size()) {
      due.sort(Comparator.comparing(e -> e.getValue().buffer.oldest()));
    }
    for (Map.Entry<TopicPartition, Partition> e : due) {
      if (inFlight.size() >= limit) {
        return;
      }
      start(e.getKey(), e.getValue());
    }
  }

  private boolean anyBlocked() {
    for (Partition p : partitions.values()) {
      if (p.blocked()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a flush of an earlier owner of {@code tp} (lost, then assigned again) is still being
   * written: the next waits for it, so one partition never has two flushes in flight.
   */
  private boolean stillWriting(TopicPartition tp) {
    for (InFlight f : inFlight) {
      if (f.tp().equals(tp)) {
        return true;
      }
    }
    return false;
  }

  private InFlight start(TopicPartition tp, Partition p) {
    Instant firstSeen = p.buffer.oldest();
    PartitionBuffer.Batch<BufferedRecord> batch = p.buffer.drain();
    CompletableFuture<GroupFlush.Outcome> result =
        CompletableFuture.supplyAsync(() -> flusher.flush(tp, batch.measurements()), writers);
    InFlight f = new InFlight(tp, p, batch, firstSeen, result);
    p.inFlight = f;
    inFlight.add(f);
    return f;
  }

  /**
   * Takes the results of the flushes that ended: commits what was written (one request), puts back
   * what was blocked, drops what belongs to partitions no longer ours.
   *
   * @throws RuntimeException or {@link Error} a flush ended with (the broker refused a dead letter,
   *     a defect): nothing of it is committed and the stage fails
   */
  private void collect() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
    List<InFlight> written = new ArrayList<>();
    Throwable failure = null;
    for (Iterator<InFlight> it = inFlight.iterator(); it.hasNext(); ) {
      InFlight f = it.next();
      if (!f.result().isDone()) {
        continue;
      }
      it.remove();
      f.owner().inFlight = null;
      boolean ours = partitions.get(f.tp()) == f.owner();
      GroupFlush.Outcome outcome;
      try {
        outcome = f.result().get();
      } catch (ExecutionException e) {
        if (ours && failure == null) {
          failure = e.getCause();
        }
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = e;
        continue;
      }
      if (!ours) {
        continue; // Lost (or released after a timeout): its new owner replays it.
      }
      if (outcome instanceof GroupFlush.Written) {
        offsets.put(f.tp(), new OffsetAndMetadata(f.batch().commitOffset()));
        written.add(f);
      } else if (outcome instanceof GroupFlush.Blocked b) {
        f.owner().buffer.restore(f.batch(), f.firstSeen());
        blocked(f.owner(), b.error());
      }
    }
    if (failure instanceof Error error) {
      throw error;
    }
    if (failure != null) {
      throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
    }
    if (offsets.isEmpty()) {
      return;
    }
    commit(offsets);
    for (InFlight f : written) {
      GroupFlush.Written w = (GroupFlush.Written) f.result().join();
      if (w.latestIngestion() != null) {
        metrics.processedUpTo(StageName.GROUP, f.tp().partition(), w.latestIngestion());
      }
      recovered(f.owner());
    }
  }

  /**
   * Commits what was written. A stop request ({@link #close()}'s wakeup) that lands here must not
   * cost the commit of a batch FHIR already holds: its next owner would convert it again, under
   * another mapping after a swap. The wakeup is consumed by the first attempt, so the second one
   * completes.
   */
  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      consumer.commitSync(offsets);
    } catch (WakeupException e) {
      consumer.commitSync(offsets);
    }
  }

  /** Whether the bytes buffered and in flight are over the bound (with hysteresis). */
  private void overLimit() {
    long bytes = bytes();
    long limit = config.flush().maxBufferedBytes();
    if (bytes >= limit) {
      overLimit = true;
    } else if (bytes < limit - limit / 4) {
      overLimit = false;
    }
  }

  private long bytes() {
    long bytes = 0;
    for (Partition p : partitions.values()) {
      bytes += p.buffer.bytes();
    }
    for (InFlight f : inFlight) {
      bytes += f.batch().bytes();
    }
    return bytes;
  }

  /**
   * Pauses the partitions that must not be read now: all while over the byte bound, the blocked
   * ones always; resumes the others.
   */
  private void applyPauses() {
    overLimit();
    Set<TopicPartition> paused = consumer.paused();
    List<TopicPartition> pause = new ArrayList<>();
    List<TopicPartition> resume = new ArrayList<>();
    for (TopicPartition tp : consumer.assignment()) {
      Partition p = partitions.get(tp);
      boolean hold = overLimit || (p != null && p.blocked());
      if (hold && !paused.contains(tp)) {
        pause.add(tp);
      } else if (!hold && paused.contains(tp)) {
        resume.add(tp);
      }
    }
    if (!pause.isEmpty()) {
      consumer.pause(pause);
    }
    if (!resume.isEmpty()) {
      consumer.resume(resume);
    }
  }

  private void blocked(Partition p, FhirServiceException error) {
    p.attempts.failed();
    lastError = error;
    updateStatus();
  }

  private void recovered(Partition p) {
    if (p.blocked()) {
      p.attempts.succeeded();
      updateStatus();
    }
  }

  /** Blocked with the earliest retry of the partitions still blocked, or running. */
  private void updateStatus() {
    Instant next = null;
    for (Partition p : partitions.values()) {
      Instant retry = p.attempts.retryAt();
      if (retry != null && (next == null || retry.isBefore(next))) {
        next = retry;
      }
    }
    if (next == null || lastError == null) {
      status.set(new StageStatus.Running());
    } else {
      status.set(new StageStatus.Blocked(lastError.errorName(), lastError.getMessage(), next));
    }
  }

  private void report() {
    report(bytes(), inFlight.size());
  }

  private void report(long bytes, int flushes) {
    if (bytes != reportedBytes || flushes != reportedInFlight) {
      reportedBytes = bytes;
      reportedInFlight = flushes;
      metrics.groupBuffer(bytes, flushes);
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
  }
}
