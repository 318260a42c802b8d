package io.iomt.service.console;

import io.iomt.pipeline.Connector;
import io.iomt.pipeline.KafkaClients;
import io.iomt.service.ServiceConfiguration.ConnectorDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The dead letters of the connectors as the console works with them, on the service's broker:
 * browse an error topic, replay dead letters, tell a replay's status, and show a source topic's
 * newest messages. Every call opens its own short-lived clients (a consumer in no group, an admin,
 * a producer) and closes them before it returns; nothing is committed and nothing is kept between
 * calls, so any replica answers any call. Thread-safe.
 */
public final class DeadLetterConsole {
  /** The most items one page, one replay or one list of recent messages holds. */
  public static final int MAX_LIMIT = 500;

  /** How much of a topic one call looks at, at most. */
  static final NewestFirst.Bounds BOUNDS = new NewestFirst.Bounds(50_000, Duration.ofSeconds(10));

  private final KafkaClients clients;
  private final Clock clock;

  public DeadLetterConsole(KafkaClients clients, Clock clock) {
    this.clients = clients;
    this.clock = clock;
  }

  /** A page of a connector's dead letters. */
  public record Page(List<DeadLetterItem> items, String next) {}

  /** The answer to a replay. */
  public record Replay(String replay, List<String> replayed, List<Skipped> skipped) {}

  /** A dead letter not replayed, and why. */
  public record Skipped(String id, String reason) {}

  /** The dead letters matching {@code filter}, newest first, below {@code before} if given. */
  public Page browse(
      ConnectorDefinition connector, DeadLetterFilter filter, int limit, TopicCursor before) {
    String topic = connector.settings().topics().errors();
    try (KafkaConsumer<byte[], byte[]> reader = clients.reader()) {
      NewestFirst.Page page =
          new NewestFirst(reader, clock, BOUNDS)
              .read(topic, before, filter.from(), filter::matches, limit);
      return new Page(
          page.records().stream().map(r -> DeadLetterItem.of(r, topic)).toList(),
          page.next() == null ? null : page.next().toString());
    }
  }

  /** The newest messages of the connector's source topic (it must read one). */
  public List<SourceMessage> recentMessages(ConnectorDefinition connector, int limit) {
    try (KafkaConsumer<byte[], byte[]> reader = clients.reader()) {
      return new NewestFirst(reader, clock, BOUNDS)
              .read(connector.settings().topics().source(), null, null, r -> true, limit)
              .records()
              .stream()
              .map(SourceMessage::of)
              .toList();
    }
  }

  /** Replays the dead letters of these ids (unknown ones are skipped as {@code not found}). */
  public Replay replay(ConnectorDefinition connector, List<RecordPosition> ids)
      throws InterruptedException {
    Map<RecordPosition, ConsumerRecord<byte[], byte[]>> found = new LinkedHashMap<>();
    try (KafkaConsumer<byte[], byte[]> reader = clients.reader()) {
      String topic = connector.settings().topics().errors();
      Instant deadline = clock.instant().plus(BOUNDS.maxTime());
      for (RecordPosition id : ids) {
        found.put(id, fetch(reader, new TopicPartition(topic, id.partition()), id, deadline));
      }
    }
    return send(connector, found);
  }

  /**
   * Replays the dead letters matching {@code filter}.
   *
   * @throws IllegalArgumentException when more than {@link #MAX_LIMIT} match, or when the scan for
   *     them had to stop before it saw all (narrow the filter, e.g. with {@code from}/{@code to})
   */
  public Replay replay(ConnectorDefinition connector, DeadLetterFilter filter)
      throws InterruptedException {
    String topic = connector.settings().topics().errors();
    NewestFirst.Page page;
    try (KafkaConsumer<byte[], byte[]> reader = clients.reader()) {
      page =
          new NewestFirst(reader, clock, BOUNDS)
              .read(topic, null, filter.from(), filter::matches, MAX_LIMIT + 1);
    }
    if (page.next() != null || page.records().size() > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "more than "
              + MAX_LIMIT
              + " dead letters may match this filter: narrow it (error, device, from, to) or"
              + " replay by ids");
    }
    Map<RecordPosition, ConsumerRecord<byte[], byte[]>> found = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : page.records()) {
      found.put(new RecordPosition(r.partition(), r.offset()), r);
    }
    return send(connector, found);
  }

  /** What became of the messages a replay sent. */
  public ReplayStatus status(ConnectorDefinition connector, ReplayId replay)
      throws ExecutionException, TimeoutException {
    try (Admin admin = clients.admin();
        KafkaConsumer<byte[], byte[]> reader = clients.reader()) {
      return new ReplayTracker(
              connector.name(), connector.settings().topics(), admin, reader, clock, BOUNDS)
          .status(replay);
    }
  }

  private Replay send(
      ConnectorDefinition connector, Map<RecordPosition, ConsumerRecord<byte[], byte[]>> found)
      throws InterruptedException {
    Connector.Topics topics = connector.settings().topics();
    String token = ReplayId.newToken();
    List<Skipped> skipped = new ArrayList<>();
    List<ReplayPlan.Send> sends = new ArrayList<>();
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    List<String> replayed = new ArrayList<>();
    List<ReplayId.Entry> entries = new ArrayList<>();
    long producedAt = Long.MAX_VALUE;
    try (KafkaProducer<byte[], byte[]> producer = clients.producer()) {
      Map<String, Integer> partitions = new HashMap<>();
      for (Map.Entry<RecordPosition, ConsumerRecord<byte[], byte[]>> e : found.entrySet()) {
        if (e.getValue() == null) {
          skipped.add(new Skipped(e.getKey().toString(), "not found"));
          continue;
        }
        ReplayPlan plan =
            ReplayPlan.of(
                e.getValue(),
                token,
                topics,
                connector.readsSourceTopic(),
                t -> partitions.computeIfAbsent(t, x -> producer.partitionsFor(x).size()));
        if (plan instanceof ReplayPlan.Skip s) {
          skipped.add(new Skipped(s.id().toString(), s.reason()));
        } else if (plan instanceof ReplayPlan.Send s) {
          sends.add(s);
          acks.add(producer.send(s.record()));
        }
      }
      producer.flush();
      for (int i = 0; i < sends.size(); i++) {
        ReplayPlan.Send s = sends.get(i);
        try {
          RecordMetadata m = acks.get(i).get(30, TimeUnit.SECONDS);
          replayed.add(s.id().toString());
          entries.add(new ReplayId.Entry(s.id(), s.target(), m.partition(), m.offset()));
          producedAt = Math.min(producedAt, m.timestamp());
        } catch (ExecutionException | TimeoutException ex) {
          Throwable cause = ex.getCause() == null ? ex : ex.getCause();
          skipped.add(
              new Skipped(
                  s.id().toString(), "not sent: the broker did not accept it (" + cause + ")"));
        }
      }
    }
    Instant at = producedAt == Long.MAX_VALUE ? clock.instant() : Instant.ofEpochMilli(producedAt);
    return new Replay(new ReplayId(token, at, entries).encode(), replayed, skipped);
  }

  /** The record at {@code id}, or null when there is none (or none in time). */
  private ConsumerRecord<byte[], byte[]> fetch(
      KafkaConsumer<byte[], byte[]> reader,
      TopicPartition tp,
      RecordPosition id,
      Instant deadline) {
    if (reader.partitionsFor(tp.topic()).stream().noneMatch(p -> p.partition() == tp.partition())) {
      return null;
    }
    reader.assign(List.of(tp));
    long end = reader.endOffsets(List.of(tp)).get(tp);
    long begin = reader.beginningOffsets(List.of(tp)).get(tp);
    if (id.offset() < begin || id.offset() >= end) {
      return null;
    }
    reader.seek(tp, id.offset());
    while (reader.position(tp) <= id.offset() && clock.instant().isBefore(deadline)) {
      for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200)).records(tp)) {
        if (r.offset() == id.offset()) {
          return r;
        }
      }
    }
    return null;
  }
}
