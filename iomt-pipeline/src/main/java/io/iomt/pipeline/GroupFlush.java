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
import io.iomt.fhir.write.ObservationWriter;
import io.iomt.fhir.write.WriteReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One flush of a partition's buffered records, as the group stage's writer threads run it: decode,
 * group, write the Observations, dead-letter what could not be written and wait for the broker to
 * hold those dead letters. It touches no consumer and no buffer; the stage commits the offset when
 * it sees {@link Written}. Dead letters are sent only once the write went through, so a flush
 * retried after a blocking error sends none twice. Thread-safe: every part it uses is (the
 * producer, the writer, the metrics; the mapping and dead-letter maker are immutable).
 */
final class GroupFlush {
  /** How a flush ended when it did not throw. */
  sealed interface Outcome {}

  /**
   * Written (or dead-lettered) in full: the offset may be committed.
   *
   * @param latestIngestion the latest ingestion time of the measurements; null when none had one
   */
  record Written(Instant latestIngestion) implements Outcome {}

  /** The FHIR server could not be used: nothing is written, the batch is retried later. */
  record Blocked(FhirServiceException error) implements Outcome {}

  private record Decoded(Measurement measurement, BufferedRecord record) {}

  private record Dead(BufferedRecord record, DataException error) {}

  private final Producer<byte[], byte[]> producer;
  private final FhirMapping mapping;
  private final ObservationWriter writer;
  private final DeadLetters deadLetters;
  private final Clock clock;
  private final StageMetrics metrics;

  GroupFlush(
      Producer<byte[], byte[]> producer,
      FhirMapping mapping,
      ObservationWriter writer,
      DeadLetters deadLetters,
      Clock clock,
      StageMetrics metrics) {
    this.producer = producer;
    this.mapping = mapping;
    this.writer = writer;
    this.deadLetters = deadLetters;
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * Flushes the records of {@code tp}, in offset order.
   *
   * @throws IllegalStateException when the broker did not take a dead letter: nothing may be
   *     committed, the stage fails and is restarted
   */
  Outcome flush(TopicPartition tp, List<BufferedRecord> records) {
    List<Dead> dead = new ArrayList<>();
    List<Decoded> decoded = new ArrayList<>(records.size());
    for (BufferedRecord r : records) {
      try {
        decoded.add(new Decoded(MeasurementCodec.decode(r.value()), r));
      } catch (RuntimeException e) {
        dead.add(
            new Dead(
                r,
                new InvalidDataFormatException(
                    "Not a normalized measurement: " + e.getMessage(), e)));
      }
    }
    Grouper.Tracked<Decoded> grouped = Grouper.group(decoded, Decoded::measurement, mapping);
    for (Grouper.Failed<Decoded> f : grouped.failures()) {
      dead.add(new Dead(f.source().record(), f.error()));
    }
    Map<ObservationGroup, List<Decoded>> sources = new HashMap<>();
    List<ObservationGroup> groups = new ArrayList<>(grouped.groups().size());
    for (Grouper.Grouped<Decoded> g : grouped.groups()) {
      sources.put(g.group(), g.sources());
      groups.add(g.group());
    }
    List<WriteReport.Rejected> rejected;
    try {
      rejected = write(groups);
    } catch (FhirServiceException e) {
      metrics.error(e);
      return new Blocked(e);
    }
    metrics.groups(groups.size());
    for (WriteReport.Rejected r : rejected) {
      for (Decoded d : sources.getOrDefault(r.group(), List.of())) {
        dead.add(new Dead(d.record(), r.error()));
      }
    }
    List<Future<RecordMetadata>> sends = new ArrayList<>(dead.size());
    for (Dead d : dead) {
      metrics.error(d.error());
      sends.add(
          producer.send(
              deadLetters.of(
                  tp.topic(),
                  tp.partition(),
                  d.record().offset(),
                  d.record().key(),
                  d.record().value(),
                  d.record().headers(),
                  d.error())));
    }
    ProducerAcks.awaitAll(sends);
    Instant accepted = clock.instant();
    Instant latest = null;
    for (Decoded d : decoded) {
      Instant ingested = d.measurement().ingestionTimeUtc();
      if (ingested != null) {
        metrics.groupLatency(Duration.between(ingested, accepted));
        latest = latest == null || ingested.isAfter(latest) ? ingested : latest;
      }
    }
    return new Written(latest);
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
}
