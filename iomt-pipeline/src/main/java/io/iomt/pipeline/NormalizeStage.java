package io.iomt.pipeline;

import io.iomt.core.error.InvalidDataFormatException;
import io.iomt.core.error.IomtException;
import io.iomt.core.measurement.Measurement;
import io.iomt.pipeline.source.EventSource;
import io.iomt.pipeline.source.SourceEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The normalize stage of one connector: device events from an {@link EventSource} → measurements on
 * the normalized topic, keyed by device id so that one device's measurements share a partition.
 * Progress is committed to the source only after every produced record (measurements and dead
 * letters) was acknowledged, so a crash replays instead of losing. A message that cannot be read or
 * mapped, fails in any unexpected way, or whose measurements the broker refuses for good (too
 * large) goes to the error topic, and processing continues: no message can stall a partition. The
 * stage owns its source and producer and closes them when {@link #run()} ends. Not thread-safe: one
 * thread runs it; {@link #close()} may be called from another.
 */
public final class NormalizeStage implements Stage {
  /** Topics and polling of the stage. */
  public record Config(String normalizedTopic, Duration pollTimeout) {}

  private final EventSource source;
  private final Producer<byte[], byte[]> producer;
  private final Normalizer normalizer;
  private final DeadLetters deadLetters;
  private final Config config;
  private final StageMetrics metrics;
  private final Clock clock;
  private final StatusHolder status;
  private volatile boolean running = true;

  public NormalizeStage(
      EventSource source,
      Producer<byte[], byte[]> producer,
      Normalizer normalizer,
      DeadLetters deadLetters,
      Config config,
      StageMetrics metrics,
      Clock clock,
      StatusHolder status) {
    this.source = source;
    this.producer = producer;
    this.normalizer = normalizer;
    this.deadLetters = deadLetters;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
    this.status = status;
  }

  @Override
  public StageName name() {
    return StageName.NORMALIZE;
  }

  @Override
  public StageStatus status() {
    return status.get();
  }

  @Override
  public void run() {
    try {
      source.start();
      status.set(new StageStatus.Running());
      while (running) {
        runOnce();
      }
      status.set(new StageStatus.Stopped("closed"));
    } finally {
      try {
        source.close();
      } finally {
        producer.close();
      }
    }
  }

  /** What was sent for one event: its measurements, or its dead letter. */
  private record Sent(SourceEvent event, List<Future<RecordMetadata>> sends, boolean deadLetter) {}

  /** One poll: normalize, produce, wait for acknowledgements, commit. */
  public void runOnce() {
    List<SourceEvent> events;
    try {
      events = source.poll(config.pollTimeout());
    } catch (IomtException e) {
      // A blocking source error (credentials refused, hub missing): counted under its name, then
      // the supervisor reports the stage blocked and starts it again after a backoff.
      metrics.error(e);
      throw e;
    }
    if (events.isEmpty()) {
      return;
    }
    List<Sent> sent = new ArrayList<>(events.size());
    for (SourceEvent event : events) {
      metrics.incoming();
      Normalizer.Outcome outcome = normalizer.normalize(event);
      if (outcome instanceof Normalizer.Normalized n) {
        List<Future<RecordMetadata>> sends = new ArrayList<>(n.measurements().size());
        List<SourceEvent.Property> replay = replayHeaders(event);
        for (Measurement m : n.measurements()) {
          ProducerRecord<byte[], byte[]> record =
              new ProducerRecord<>(
                  config.normalizedTopic(),
                  m.deviceId().getBytes(StandardCharsets.UTF_8),
                  MeasurementCodec.encode(m));
          for (SourceEvent.Property h : replay) {
            record.headers().add(h.name(), h.value());
          }
          sends.add(producer.send(record));
        }
        metrics.normalized(n.measurements().size());
        sent.add(new Sent(event, sends, false));
      } else if (outcome instanceof Normalizer.Rejected r) {
        metrics.error(r.error());
        sent.add(new Sent(event, List.of(producer.send(deadLetters.of(event, r.error()))), true));
      }
    }
    producer.flush();
    List<Future<RecordMetadata>> retried = new ArrayList<>();
    for (Sent s : sent) {
      for (Future<RecordMetadata> send : s.sends()) {
        if (ProducerAcks.await(send) instanceof ProducerAcks.RecordRefused refused) {
          if (s.deadLetter()) {
            throw new IllegalStateException(
                "The broker refused the dead letter of " + s.event().where(), refused.reason());
          }
          InvalidDataFormatException error =
              new InvalidDataFormatException(
                  "The broker refused a measurement of this message for the normalized topic ("
                      + refused.reason().getMessage()
                      + "); is a device id or value unreasonably large?");
          metrics.error(error);
          retried.add(producer.send(deadLetters.of(s.event(), error)));
          break;
        }
      }
    }
    ProducerAcks.awaitAll(retried);
    source.commit(events);
    Instant acked = clock.instant();
    Map<Integer, Instant> latest = new HashMap<>();
    for (SourceEvent event : events) {
      metrics.normalizeLatency(Duration.between(event.ingestionTime(), acked));
      latest.merge(event.partition(), event.ingestionTime(), (a, b) -> a.isAfter(b) ? a : b);
    }
    latest.forEach(
        (partition, ingestion) -> metrics.processedUpTo(StageName.NORMALIZE, partition, ingestion));
  }

  /**
   * The replay headers ({@value DeadLetters#REPLAY_OF}, {@value DeadLetters#REPLAY_ID}) of a
   * replayed message, which its measurements carry on (so that a grouping failure of a replay names
   * the dead letter replayed); none for other messages.
   */
  private static List<SourceEvent.Property> replayHeaders(SourceEvent event) {
    List<SourceEvent.Property> replay = List.of(); // the usual case allocates nothing
    for (SourceEvent.Property p : event.properties()) {
      if (DeadLetters.isReplayHeader(p.name())) {
        if (replay.isEmpty()) {
          replay = new ArrayList<>(2);
        }
        replay.add(p);
      }
    }
    return replay;
  }

  @Override
  public void close() {
    running = false;
    source.wakeup();
  }
}
