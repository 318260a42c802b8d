package io.iomt.pipeline;

import io.iomt.core.error.DataException;
import io.iomt.core.error.ErrorStage;
import io.iomt.core.error.FhirServiceException;
import io.iomt.core.error.InvalidDataFormatException;
import io.iomt.core.error.UnexpectedProcessingException;
import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.observation.Grouper;
import io.iomt.core.observation.ObservationGroup;
import io.iomt.core.retry.Backoff;
import io.iomt.fhir.write.ObservationWriter;
import io.iomt.fhir.write.WriteReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The group + convert stage of one connector: buffers measurements per partition of the normalized
 * topic, and when the {@link FlushPolicy} says so groups them, writes Observations through the
 * {@link ObservationWriter}, and only then commits the partition's offsets.
 *
 * <p>While the FHIR server fails (a blocking {@link FhirServiceException}), the affected partitions
 * pause, nothing is committed, the buffer is kept (bounded by the paused consumer), and writing
 * resumes by itself with {@link Backoff} (full jitter). A revoked partition is flushed first only
 * when the server is known to work; during an outage it is released at once, uncommitted, so that
 * its new owner replays it and the rebalance is not held up by a retry cycle. Groups the writer
 * rejects, measurements that cannot be grouped, and groups whose conversion fails in any unexpected
 * way (e.g. after a mapping edit) go to the error topic with their source records, so no group can
 * stall a partition. The stage owns its consumer and producer and closes them when {@link #run()}
 * ends. Not thread-safe: one thread runs it; {@link #close()} may be called from another.
 */
public final class GroupStage implements Stage {
  /** Topic, flush policy, polling and backoff of the stage. */
  public record Config(
      String normalizedTopic, FlushPolicy flush, Duration pollTimeout, Backoff backoff) {}

  private record Buffered(Measurement measurement, ConsumerRecord<byte[], byte[]> record) {}

  /** A partition's buffer and its consecutive write failures. */
  private final class Partition {
    final PartitionBuffer<Buffered> buffer = new PartitionBuffer<>(config.flush());
    final Backoff.Attempts attempts = config.backoff().withClock(clock).attempts();

    boolean blocked() {
      return attempts.retryAt() != null;
    }
  }

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final FhirMapping mapping;
  private final ObservationWriter writer;
  private final DeadLetters deadLetters;
  private final Config config;
  private final Clock clock;
  private final StageMetrics metrics;
  private final StatusHolder status;
  private final Map<TopicPartition, Partition> partitions = new HashMap<>();
  private FhirServiceException lastError;
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
    this.mapping = mapping;
    this.writer = writer;
    this.deadLetters = deadLetters;
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    this.status = status;
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
            lost.forEach(partitions::remove);
            updateStatus();
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> assigned) {}
        });
  }

  /**
   * Gives partitions up: each is flushed first if the FHIR server is known to work, so its new
   * owner has less to replay; while any partition is blocked (the server is down) none is, so the
   * rebalance never waits for a retry cycle. What is not flushed stays uncommitted and is replayed
   * by the new owner.
   */
  void revoke(Collection<TopicPartition> revoked) {
    boolean serverDown = partitions.values().stream().anyMatch(Partition::blocked);
    for (TopicPartition tp : revoked) {
      Partition p = partitions.remove(tp);
      if (p != null && !serverDown && !p.buffer.isEmpty()) {
        try {
          flush(tp, p);
        } catch (FhirServiceException e) {
          serverDown = true; // Not committed: the partition's next owner replays it.
        }
      }
    }
    updateStatus();
  }

  @Override
  public void run() {
    subscribe();
    try {
      PollLoop.run(consumer, () -> running, this::runOnce);
      status.set(new StageStatus.Stopped("closed"));
    } finally {
      producer.close();
    }
  }

  /** One poll, then every partition whose buffer is due (and not backing off) is written. */
  public void runOnce() {
    List<Future<RecordMetadata>> rejected = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(config.pollTimeout())) {
      TopicPartition tp = new TopicPartition(record.topic(), record.partition());
      Partition p = partitions.computeIfAbsent(tp, k -> new Partition());
      Instant now = clock.instant();
      try {
        p.buffer.add(
            new Buffered(MeasurementCodec.decode(record.value()), record), record.offset(), now);
      } catch (RuntimeException e) {
        InvalidDataFormatException error =
            new InvalidDataFormatException("Not a normalized measurement: " + e.getMessage(), e);
        metrics.error(error);
        rejected.add(producer.send(deadLetters.of(record, error)));
        p.buffer.skip(record.offset(), now);
      }
    }
    ProducerAcks.awaitAll(rejected);
    for (Map.Entry<TopicPartition, Partition> e : new ArrayList<>(partitions.entrySet())) {
      Partition p = e.getValue();
      if (p.attempts.waiting()) {
        continue;
      }
      if (p.blocked() || p.buffer.isDue(clock.instant())) {
        try {
          flush(e.getKey(), p);
          recovered(e.getKey(), p);
        } catch (FhirServiceException error) {
          blocked(e.getKey(), p, error);
        }
      }
    }
  }

  /** Writes a partition's buffer, dead-letters what was rejected, then commits its offset. */
  private void flush(TopicPartition tp, Partition p) {
    Instant firstSeen = p.buffer.oldest();
    PartitionBuffer.Batch<Buffered> batch = p.buffer.drain();
    try {
      Grouper.Tracked<Buffered> grouped =
          Grouper.group(batch.measurements(), Buffered::measurement, mapping);
      metrics.groups(grouped.groups().size());
      List<Future<RecordMetadata>> sends = new ArrayList<>();
      for (Grouper.Failed<Buffered> f : grouped.failures()) {
        sends.add(deadLetter(f.source(), f.error()));
      }
      Map<ObservationGroup, List<Buffered>> sources = new HashMap<>();
      List<ObservationGroup> groups = new ArrayList<>(grouped.groups().size());
      for (Grouper.Grouped<Buffered> g : grouped.groups()) {
        sources.put(g.group(), g.sources());
        groups.add(g.group());
      }
      for (WriteReport.Rejected r : write(groups)) {
        for (Buffered b : sources.getOrDefault(r.group(), List.of())) {
          sends.add(deadLetter(b, r.error()));
        }
      }
      ProducerAcks.awaitAll(sends);
      commit(tp, batch.commitOffset());
      Instant accepted = clock.instant();
      Instant latest = Instant.EPOCH;
      for (Buffered b : batch.measurements()) {
        Instant ingested = b.measurement().ingestionTimeUtc();
        if (ingested != null) {
          metrics.groupLatency(Duration.between(ingested, accepted));
          latest = ingested.isAfter(latest) ? ingested : latest;
        }
      }
      if (latest.isAfter(Instant.EPOCH)) {
        metrics.processedUpTo(StageName.GROUP, tp.partition(), latest);
      }
    } catch (FhirServiceException e) {
      p.buffer.restore(batch, firstSeen);
      throw e;
    }
  }

  /**
   * Commits what was written. A stop request ({@link #close()}'s wakeup) that lands here must not
   * cost the commit of a batch FHIR already holds: its next owner would convert it again, under
   * another mapping after a swap. The wakeup is consumed by the first attempt, so the second one
   * completes.
   */
  private void commit(TopicPartition tp, long offset) {
    Map<TopicPartition, OffsetAndMetadata> offsets = Map.of(tp, new OffsetAndMetadata(offset));
    try {
      consumer.commitSync(offsets);
    } catch (WakeupException e) {
      consumer.commitSync(offsets);
    }
  }

  /**
   * Writes the groups and returns the rejected ones. If the writer fails in a way that is neither
   * blocking nor a per-group rejection, the groups are written one by one, and a group that still
   * fails is rejected with its cause: one group must not hold a partition in a replay loop.
   */
  private List<WriteReport.Rejected> write(List<ObservationGroup> groups) {
    if (groups.isEmpty()) {
      return List.of();
    }
    try {
      return saved(writer.write(groups));
    } catch (FhirServiceException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError unexpected) {
      List<WriteReport.Rejected> rejected = new ArrayList<>();
      for (ObservationGroup g : groups) {
        try {
          rejected.addAll(saved(writer.write(List.of(g))));
        } catch (FhirServiceException e) {
          throw e;
        } catch (RuntimeException | StackOverflowError e) {
          rejected.add(
              new WriteReport.Rejected(
                  g, new UnexpectedProcessingException(ErrorStage.FHIR_CONVERSION, e)));
        }
      }
      return rejected;
    }
  }

  private List<WriteReport.Rejected> saved(WriteReport report) {
    metrics.saved(report.created().size(), report.updated().size(), report.unchanged().size());
    return report.rejected();
  }

  private Future<RecordMetadata> deadLetter(Buffered b, DataException error) {
    metrics.error(error);
    return producer.send(deadLetters.of(b.record(), error));
  }

  private void blocked(TopicPartition tp, Partition p, FhirServiceException error) {
    p.attempts.failed();
    consumer.pause(List.of(tp));
    metrics.error(error);
    lastError = error;
    updateStatus();
  }

  private void recovered(TopicPartition tp, Partition p) {
    if (p.blocked()) {
      p.attempts.succeeded();
      consumer.resume(List.of(tp));
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

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
  }
}
