package io.iomt.service.console;

import io.iomt.pipeline.Connector;
import io.iomt.pipeline.DeadLetters;
import io.iomt.pipeline.StageName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Tells the status of a replay from the broker alone (docs/console.md, docs/operations.md):
 *
 * <ul>
 *   <li><b>failed</b>: a dead letter newer than the replay carries {@value DeadLetters#REPLAY_OF}
 *       naming the replayed one and the replay's {@value DeadLetters#REPLAY_ID} (the normalize
 *       stage keeps the header on a message's dead letter and puts it on its measurements, whose
 *       dead letters keep it too);
 *   <li><b>processed</b>, for a message replayed into the source topic: the normalize group
 *       committed past it, and no record of the normalized topic above the group stage's committed
 *       offsets carries the header (its measurements, all acknowledged before normalize committed,
 *       were all consumed and written or dead-lettered before the group committed past them); for a
 *       measurement replayed into the normalized topic: the group stage committed past it; and in
 *       both cases the error topic holds no failure of it;
 *   <li><b>pending</b> otherwise, and whenever a bounded scan could not look at everything.
 * </ul>
 *
 * Scans start at the replay's time less {@link #CLOCK_SKEW} (the records are stamped by the
 * producing replica's clock). Not thread-safe; one status per instance.
 */
final class ReplayTracker {
  /** How much earlier than the replay a record it caused may be stamped by another replica. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private final String connector;
  private final Connector.Topics topics;
  private final Admin admin;
  private final Consumer<byte[], byte[]> reader;
  private final Clock clock;
  private final NewestFirst.Bounds bounds;

  ReplayTracker(
      String connector,
      Connector.Topics topics,
      Admin admin,
      Consumer<byte[], byte[]> reader,
      Clock clock,
      NewestFirst.Bounds bounds) {
    this.connector = connector;
    this.topics = topics;
    this.admin = admin;
    this.reader = reader;
    this.clock = clock;
    this.bounds = bounds;
  }

  ReplayStatus status(ReplayId replay) throws ExecutionException, TimeoutException {
    // Committed offsets first: whatever a stage wrote before committing is then on the broker.
    Map<TopicPartition, OffsetAndMetadata> normalize = committed(StageName.NORMALIZE);
    Map<TopicPartition, OffsetAndMetadata> group = committed(StageName.GROUP);
    Instant since = replay.producedAt().minus(CLOCK_SKEW);
    Set<String> names = new HashSet<>();
    for (ReplayId.Entry e : replay.entries()) {
      names.add(name(e));
    }
    String token = replay.token();
    Scan failures = scan(topics.errors(), since, Map.of(), names, token);
    Scan inGroup = null;
    List<ReplayStatus.Item> items = new ArrayList<>();
    for (ReplayId.Entry e : replay.entries()) {
      String id = e.deadLetter().toString();
      ConsumerRecord<byte[], byte[]> failure = failures.found.get(name(e));
      if (failure != null) {
        items.add(
            new ReplayStatus.Item(
                id,
                ReplayStatus.FAILED,
                DeadLetters.header(failure.headers(), DeadLetters.ERROR),
                DeadLetters.header(failure.headers(), DeadLetters.MESSAGE)));
        continue;
      }
      boolean processed;
      if (e.target() == ReplayPlan.Target.SOURCE) {
        processed = past(normalize, topics.source(), e);
        if (processed) {
          if (inGroup == null) {
            inGroup = uncommittedMeasurements(group, since, names, token);
          }
          processed = inGroup.complete && !inGroup.found.containsKey(name(e));
        }
      } else {
        processed = past(group, topics.normalized(), e);
      }
      items.add(
          new ReplayStatus.Item(
              id,
              processed && failures.complete ? ReplayStatus.PROCESSED : ReplayStatus.PENDING,
              null,
              null));
    }
    return new ReplayStatus(items);
  }

  /** The records found carrying the replay header, by its value; complete if nothing was left. */
  private record Scan(Map<String, ConsumerRecord<byte[], byte[]>> found, boolean complete) {}

  private String name(ReplayId.Entry e) {
    return DeadLetters.replayOf(
        topics.errors(), e.deadLetter().partition(), e.deadLetter().offset());
  }

  private static boolean past(
      Map<TopicPartition, OffsetAndMetadata> committed, String topic, ReplayId.Entry e) {
    OffsetAndMetadata c = committed.get(new TopicPartition(topic, e.partition()));
    return c != null && c.offset() > e.offset();
  }

  private Map<TopicPartition, OffsetAndMetadata> committed(StageName stage)
      throws ExecutionException, TimeoutException {
    try {
      return admin
          .listConsumerGroupOffsets(Connector.groupId(connector, stage))
          .partitionsToOffsetAndMetadata()
          .get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TimeoutException("interrupted");
    }
  }

  /** Records of the normalized topic not yet committed by the group stage, naming one. */
  private Scan uncommittedMeasurements(
      Map<TopicPartition, OffsetAndMetadata> group,
      Instant since,
      Set<String> names,
      String token) {
    Map<Integer, Long> committed = new HashMap<>();
    group.forEach(
        (tp, o) -> {
          if (tp.topic().equals(topics.normalized()) && o != null) {
            committed.put(tp.partition(), o.offset());
          }
        });
    return scan(topics.normalized(), since, committed, names, token);
  }

  /**
   * Reads {@code topic} from {@code since} (and, per partition, from {@code from} when higher) to
   * its end, keeping the first record of the replay {@code token} naming one of {@code names}.
   */
  private Scan scan(
      String topic, Instant since, Map<Integer, Long> from, Set<String> names, String token) {
    Map<String, ConsumerRecord<byte[], byte[]>> found = new HashMap<>();
    NewestFirst.Page page =
        new NewestFirst(reader, clock, bounds)
            .read(
                topic,
                null,
                since,
                from,
                r -> {
                  String of = DeadLetters.header(r.headers(), DeadLetters.REPLAY_OF);
                  if (of != null
                      && names.contains(of)
                      && token.equals(DeadLetters.header(r.headers(), DeadLetters.REPLAY_ID))) {
                    found.merge(of, r, (a, b) -> a.offset() < b.offset() ? a : b);
                  }
                  return false;
                },
                Integer.MAX_VALUE);
    return new Scan(found, page.next() == null);
  }
}
