package io.iomt.pipeline;

import io.iomt.core.error.DataException;
import io.iomt.core.error.FhirServiceException;
import io.iomt.core.error.InvalidDataFormatException;
import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.observation.GroupKey;
import io.iomt.core.observation.Grouper;
import io.iomt.core.observation.ObservationGroup;
import io.iomt.fhir.write.ObservationWriter;
import io.iomt.fhir.write.WriteReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
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

/**
 * The group + convert stage of one connector: buffers measurements per partition of the normalized
 * topic, and when the {@link FlushPolicy} says so groups them, writes Observations, and only then
 * commits the partition's offsets. While the FHIR server fails, the affected partitions pause,
 * nothing is committed, the buffer is kept (bounded by the paused consumer), and writing resumes by
 * itself with backoff. A revoked partition's buffer is flushed if possible, otherwise dropped
 * uncommitted so its new owner replays it. Rejected measurements go to the error topic. Not
 * thread-safe: one thread runs it; {@link #close()} may be called from another.
 */
public final class GroupStage implements Stage {
  /** Topics, flush policy and backoff of the stage. */
  public record Config(
      String normalizedTopic,
      String errorTopic,
      FlushPolicy flush,
      Duration pollTimeout,
      Duration initialBackoff,
      Duration maxBackoff) {}

  private record Buffered(Measurement measurement, ConsumerRecord<byte[], byte[]> record) {}

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final FhirMapping mapping;
  private final ObservationWriter writer;
  private final Config config;
  private final Clock clock;
  private final StageMetrics metrics;
  private final Map<TopicPartition, PartitionBuffer<Buffered>> buffers = new HashMap<>();
  private final Map<TopicPartition, Instant> retryAt = new HashMap<>();
  private final Map<TopicPartition, Integer> failures = new HashMap<>();
  private volatile StageStatus status = new StageStatus.Running();
  private volatile boolean running = true;

  public GroupStage(
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> producer,
      FhirMapping mapping,
      ObservationWriter writer,
      Config config,
      Clock clock,
      StageMetrics metrics) {
    this.consumer = consumer;
    this.producer = producer;
    this.mapping = mapping;
    this.writer = writer;
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public StageName name() {
    return StageName.GROUP;
  }

  @Override
  public StageStatus status() {
    return status;
  }

  /** Subscribes with the rebalance handling; {@link #run()} does this itself. */
  public void subscribe() {
    consumer.subscribe(
        List.of(config.normalizedTopic()),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
              PartitionBuffer<Buffered> buffer = buffers.get(tp);
              if (buffer != null && !buffer.isEmpty()) {
                try {
                  flush(tp, buffer);
                } catch (FhirServiceException e) {
                  // Not committed: the partition's next owner replays these measurements.
                }
              }
              forget(tp);
            }
          }

          @Override
          public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(GroupStage.this::forget);
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
        });
  }

  @Override
  public void run() {
    subscribe();
    try {
      PollLoop.run(consumer, () -> running, this::runOnce);
    } finally {
      status = new StageStatus.Stopped("closed");
    }
  }

  /** One poll, then every partition whose buffer is due (and not backing off) is written. */
  public void runOnce() {
    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(config.pollTimeout())) {
      TopicPartition tp = new TopicPartition(record.topic(), record.partition());
      PartitionBuffer<Buffered> buffer =
          buffers.computeIfAbsent(tp, k -> new PartitionBuffer<>(config.flush()));
      Instant now = clock.instant();
      try {
        buffer.add(
            new Buffered(MeasurementCodec.decode(record.value()), record), record.offset(), now);
      } catch (IllegalArgumentException e) {
        InvalidDataFormatException error =
            new InvalidDataFormatException("Not a normalized measurement: " + e.getMessage(), e);
        metrics.error(error);
        PollLoop.awaitAcks(
            List.of(producer.send(DeadLetters.of(config.errorTopic(), record, error))));
        buffer.skip(record.offset(), now);
      }
    }
    Instant now = clock.instant();
    for (Map.Entry<TopicPartition, PartitionBuffer<Buffered>> e :
        new ArrayList<>(buffers.entrySet())) {
      TopicPartition tp = e.getKey();
      Instant retry = retryAt.get(tp);
      boolean backingOff = retry != null && now.isBefore(retry);
      if (!backingOff && (retry != null || e.getValue().isDue(now))) {
        try {
          flush(tp, e.getValue());
          recovered(tp);
        } catch (FhirServiceException error) {
          blocked(tp, error, now);
        }
      }
    }
  }

  /** Writes a partition's buffer, dead-letters what was rejected, then commits its offset. */
  private void flush(TopicPartition tp, PartitionBuffer<Buffered> buffer) {
    Instant firstSeen = buffer.oldest();
    PartitionBuffer.Batch<Buffered> batch = buffer.drain();
    try {
      List<Measurement> measurements = new ArrayList<>(batch.measurements().size());
      Map<Measurement, Buffered> origin = new IdentityHashMap<>();
      for (Buffered b : batch.measurements()) {
        measurements.add(b.measurement());
        origin.put(b.measurement(), b);
      }
      Grouper.Result grouped = Grouper.group(measurements, mapping);
      metrics.groups(grouped.groups().size());
      WriteReport report = writer.write(grouped.groups());
      metrics.saved(report.created().size(), report.updated().size(), report.unchanged().size());
      List<Future<RecordMetadata>> sends = new ArrayList<>();
      for (Grouper.Failure f : grouped.failures()) {
        sends.add(deadLetter(origin.get(f.measurement()), f.error()));
      }
      for (WriteReport.Rejected r : report.rejected()) {
        for (Buffered b : batch.measurements()) {
          if (belongsTo(b.measurement(), r.group())) {
            sends.add(deadLetter(b, r.error()));
          }
        }
      }
      PollLoop.awaitAcks(sends);
      consumer.commitSync(Map.of(tp, new OffsetAndMetadata(batch.commitOffset())));
      Instant accepted = Instant.now();
      Instant latest = Instant.EPOCH;
      for (Measurement m : measurements) {
        if (m.ingestionTimeUtc() != null) {
          metrics.groupLatency(Duration.between(m.ingestionTimeUtc(), accepted));
          latest = m.ingestionTimeUtc().isAfter(latest) ? m.ingestionTimeUtc() : latest;
        }
      }
      if (latest.isAfter(Instant.EPOCH)) {
        metrics.processedUpTo("group", tp.partition(), latest);
      }
    } catch (FhirServiceException e) {
      buffer.restore(batch, firstSeen);
      throw e;
    }
  }

  private Future<RecordMetadata> deadLetter(Buffered b, DataException error) {
    metrics.error(error);
    return producer.send(DeadLetters.of(config.errorTopic(), b.record(), error));
  }

  private static boolean belongsTo(Measurement m, ObservationGroup g) {
    GroupKey key = g.key();
    return key.equals(
            new GroupKey(m.type(), m.deviceId(), m.patientId(), m.encounterId(), m.correlationId()))
        && !m.occurrenceTimeUtc().isBefore(g.start())
        && !m.occurrenceTimeUtc().isAfter(g.end());
  }

  private void blocked(TopicPartition tp, FhirServiceException error, Instant now) {
    int n = failures.merge(tp, 1, Integer::sum);
    long ms =
        Math.min(
            config.maxBackoff().toMillis(),
            config.initialBackoff().toMillis() << Math.min(n - 1, 20));
    Instant retry = now.plusMillis(ms);
    retryAt.put(tp, retry);
    consumer.pause(List.of(tp));
    metrics.error(error);
    status = new StageStatus.Blocked(error.errorName(), error.getMessage(), retry);
  }

  private void recovered(TopicPartition tp) {
    if (retryAt.remove(tp) != null) {
      failures.remove(tp);
      consumer.resume(List.of(tp));
      if (retryAt.isEmpty()) {
        status = new StageStatus.Running();
      } else if (status instanceof StageStatus.Blocked b) {
        // Other partitions still wait: report their next retry, not the recovered one's.
        Instant next = retryAt.values().stream().min(Instant::compareTo).orElseThrow();
        status = new StageStatus.Blocked(b.errorName(), b.message(), next);
      }
    }
  }

  private void forget(TopicPartition tp) {
    buffers.remove(tp);
    retryAt.remove(tp);
    failures.remove(tp);
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
  }
}
