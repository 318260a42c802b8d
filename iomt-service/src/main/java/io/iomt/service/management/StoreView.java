package io.iomt.service.management;

import io.iomt.service.management.StoreRecord.Op;
import io.iomt.service.management.StoreRecord.Tombstone;
import io.iomt.service.management.StoreRecord.Write;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One replica's view of the resource store's topic: the records folded in log order, each accepted
 * or rejected by rules that depend only on the records read before it, so every replica reading the
 * same records reaches the same decisions.
 *
 * <p><b>The rules.</b> A {@link Write} is accepted when its expectation matches the etag of the
 * current version. Compaction keeps only the last record of each key, so a replica that starts
 * after it may miss the versions a record's expectation refers to; two rules make it end where the
 * others are:
 *
 * <ul>
 *   <li>The first record a view reads for a key is accepted whatever it expects: its predecessors
 *       were compacted away because it came after them. (On an uncompacted log the first record of
 *       a key expects nothing or absence, since writers refuse other expectations on a resource
 *       they do not hold without writing.)
 *   <li>The writer of a rejected record appends a {@link Op#RESTORE} of the version that was
 *       current (or a tombstone if none), which {@link Write#supersedes() supersedes} the rejected
 *       record; a restore is accepted when its expected etag is current (a no-op for replicas that
 *       saw it all) or when the current version was set by the superseded record (a replica that
 *       accepted the rejected record under the first rule, the older records being compacted away).
 * </ul>
 *
 * A tombstone is accepted when the key is absent, never read, or was set by the record it
 * supersedes; a tombstone without a writer (written by hand) always removes.
 *
 * <p>Thread-safety: {@link #apply} is called by one thread (the store's reader); the reads may be
 * called from any thread and see each key's latest state.
 */
final class StoreView {

  /** What {@link #apply} decided. */
  sealed interface Decision {
    /** The record took effect: {@code after} is null when the resource is now absent. */
    record Applied(StoredResource before, StoredResource after) implements Decision {
      /** Whether the resource changed (not a no-op restore or deletion of an absent one). */
      boolean changed() {
        return before == null
            ? after != null
            : after == null || !Objects.equals(before.etag(), after.etag());
      }
    }

    /** The record was refused: {@code current} (null: absent) is what is there. */
    record Rejected(StoredResource current) implements Decision {}
  }

  /** The last record read for a key. */
  record Last(long offset, String writer, String writeId, boolean tombstone, boolean applied) {}

  /**
   * What a view holds for a key it has read.
   *
   * @param current the current version; null when absent
   * @param setBy the id of the record that set the current state (a version or an absence)
   * @param last the last record read for the key
   */
  record Slot(StoredResource current, String setBy, Last last) {}

  private final ConcurrentSkipListMap<String, Slot> slots = new ConcurrentSkipListMap<>();

  /** Folds the record at {@code offset} into the view. */
  Decision apply(long offset, StoreRecord record) {
    Slot slot = slots.get(record.key());
    StoredResource current = slot == null ? null : slot.current();
    boolean accepted = slot == null || accepts(slot, record);
    StoredResource after = record instanceof Write w && w.op() != Op.DELETE ? w.resource() : null;
    boolean tombstone = record instanceof Tombstone;
    Last last = new Last(offset, record.writer(), record.writeId(), tombstone, accepted);
    if (!accepted) {
      slots.put(record.key(), new Slot(current, slot.setBy(), last));
      return new Decision.Rejected(current);
    }
    slots.put(record.key(), new Slot(after, record.writeId(), last));
    return new Decision.Applied(current, after);
  }

  /** Notes a record that could not be read: it is the key's last record, and was not applied. */
  void skip(long offset, String key) {
    Slot slot = slots.get(key);
    Last last = new Last(offset, null, null, false, false);
    slots.put(
        key,
        slot == null ? new Slot(null, null, last) : new Slot(slot.current(), slot.setBy(), last));
  }

  private static boolean accepts(Slot slot, StoreRecord record) {
    String currentEtag = slot.current() == null ? null : slot.current().etag();
    boolean setBySuperseded;
    if (record instanceof Write w) {
      setBySuperseded = w.supersedes() != null && w.supersedes().equals(slot.setBy());
      return w.expect().matches(currentEtag) || setBySuperseded;
    }
    Tombstone t = (Tombstone) record;
    setBySuperseded = t.supersedes() != null && t.supersedes().equals(slot.setBy());
    return t.writer() == null || slot.current() == null || setBySuperseded;
  }

  Optional<StoredResource> get(String key) {
    Slot slot = slots.get(key);
    return slot == null ? Optional.empty() : Optional.ofNullable(slot.current());
  }

  /** The present resources, ordered by key. */
  List<StoredResource> list() {
    return slots.values().stream().map(Slot::current).filter(Objects::nonNull).toList();
  }

  /** The keys read so far, present or not, ordered. */
  List<String> keys() {
    return List.copyOf(slots.keySet());
  }

  /**
   * The record {@code writer} must append so that the last record of {@code key} is an accepted one
   * that states the key's state on its own (what compaction keeps): a restore after its rejected
   * record, a tombstone after its accepted deletion; empty when nothing is needed (the last record
   * is someone else's, whose writer settles it).
   */
  Optional<StoreRecord> settlement(String key, String writer, String newWriteId, Instant now) {
    Slot slot = slots.get(key);
    if (slot == null || !writer.equals(slot.last().writer())) {
      return Optional.empty();
    }
    Last last = slot.last();
    StoredResource current = slot.current();
    if (last.applied() && (current != null || last.tombstone())) {
      return Optional.empty();
    }
    if (current == null) {
      return Optional.of(new Tombstone(key, writer, newWriteId, last.writeId()));
    }
    return Optional.of(
        new Write(
            Op.RESTORE,
            writer,
            newWriteId,
            now,
            ResourceStore.Expect.etag(current.etag()),
            last.writeId(),
            current.id(),
            current));
  }
}
