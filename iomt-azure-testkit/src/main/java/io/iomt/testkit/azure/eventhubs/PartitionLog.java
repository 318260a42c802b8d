package io.iomt.testkit.azure.eventhubs;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The events of one partition, in order. Thread-safe: the server thread reads while tests and
 * producers append.
 */
final class PartitionLog {

  private final String partitionId;
  private final Clock clock;
  private final List<StoredEvent> events = new ArrayList<>();
  private long nextOffset;

  PartitionLog(String partitionId, Clock clock) {
    this.partitionId = partitionId;
    this.clock = clock;
  }

  String partitionId() {
    return partitionId;
  }

  /**
   * Stores the event with the next sequence number and offset, enqueued now (millisecond
   * precision).
   */
  synchronized StoredEvent append(TestEvent event) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    StoredEvent stored = new StoredEvent(partitionId, events.size(), nextOffset, now, event);
    events.add(stored);
    nextOffset += event.body().length + 1L;
    return stored;
  }

  synchronized List<StoredEvent> snapshot() {
    return List.copyOf(events);
  }

  synchronized int size() {
    return events.size();
  }

  /** The event at this index (the index is the sequence number), if stored yet. */
  synchronized Optional<StoredEvent> at(long index) {
    return index < events.size() ? Optional.of(events.get((int) index)) : Optional.empty();
  }

  synchronized Optional<StoredEvent> last() {
    return events.isEmpty() ? Optional.empty() : Optional.of(events.get(events.size() - 1));
  }

  /** The index of the first event matching, or the end of the log if none does. */
  synchronized long firstIndexWhere(Predicate<StoredEvent> predicate) {
    for (int i = 0; i < events.size(); i++) {
      if (predicate.test(events.get(i))) {
        return i;
      }
    }
    return events.size();
  }
}
