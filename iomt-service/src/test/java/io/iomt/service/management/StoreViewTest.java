package io.iomt.service.management;

import static io.iomt.service.management.ResourceStoreContract.WORKSPACE;
import static io.iomt.service.management.ResourceStoreContract.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.service.management.ResourceStore.Expect;
import io.iomt.service.management.StoreRecord.Op;
import io.iomt.service.management.StoreRecord.Tombstone;
import io.iomt.service.management.StoreRecord.Write;
import io.iomt.service.management.StoreView.Decision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The decisions every replica makes alike, on the full log and on the log compaction leaves (the
 * last record of each key).
 */
class StoreViewTest {
  static final String KEY = WORKSPACE.key();
  static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

  final List<StoreRecord> log = new ArrayList<>();

  StoredResource version(String etag, String state) {
    return resource(WORKSPACE, state).withEtag(etag);
  }

  Write put(String writer, String id, Expect expect, StoredResource r) {
    return add(new Write(Op.PUT, writer, id, AT, expect, null, WORKSPACE, r));
  }

  Write delete(String writer, String id, Expect expect) {
    return add(new Write(Op.DELETE, writer, id, AT, expect, null, WORKSPACE, null));
  }

  <R extends StoreRecord> R add(R record) {
    log.add(record);
    return record;
  }

  /** A view that read the whole log. */
  StoreView full() {
    StoreView v = new StoreView();
    for (int i = 0; i < log.size(); i++) {
      v.apply(i, log.get(i));
    }
    return v;
  }

  /** A view that read only the records from {@code from} on (the rest compacted away). */
  StoreView from(int from) {
    StoreView v = new StoreView();
    for (int i = from; i < log.size(); i++) {
      v.apply(i, log.get(i));
    }
    return v;
  }

  /** Appends what the writer's store sends after the last record, as the settling thread does. */
  void settle(String writer) {
    StoreView v = full();
    v.settlement(KEY, writer, "settle-" + log.size(), AT).ifPresent(this::add);
  }

  @Test
  void aWriteIsAppliedWhenItsExpectationMatchesAndRejectedOtherwise() {
    StoreView v = new StoreView();
    StoredResource a = version("\"a\"", "Creating");
    StoredResource b = version("\"b\"", "Succeeded");

    assertThat(v.apply(0, put("w1", "1", Expect.ABSENT, a)))
        .isEqualTo(new Decision.Applied(null, a));
    assertThat(v.apply(1, put("w2", "2", Expect.ABSENT, b))).isEqualTo(new Decision.Rejected(a));
    assertThat(v.apply(2, put("w2", "3", Expect.etag("\"a\""), b)))
        .isEqualTo(new Decision.Applied(a, b));
    assertThat(v.get(KEY)).contains(b);
  }

  @Test
  void theFirstRecordOfAKeyIsTrustedBecauseCompactionRemovedWhatItExpected() {
    put("w1", "1", Expect.ABSENT, version("\"a\"", "Creating"));
    StoredResource b = version("\"b\"", "Succeeded");
    put("w1", "2", Expect.etag("\"a\""), b);

    assertThat(full().get(KEY)).contains(b);
    assertThat(from(1).get(KEY)).contains(b);
  }

  @Test
  void theWriterOfARejectedRecordRestoresTheAcceptedVersionForReplicasThatStartAfterCompaction() {
    StoredResource a = version("\"a\"", "Creating");
    StoredResource b = version("\"b\"", "Succeeded");
    put("w1", "1", Expect.ABSENT, a);
    put("w1", "2", Expect.etag("\"a\""), b);
    put("w2", "3", Expect.etag("\"a\""), version("\"c\"", "Failed"));

    assertThat(full().get(KEY)).contains(b);
    settle("w1");
    assertThat(log).hasSize(3);
    settle("w2");
    assertThat(log).hasSize(4);
    assertThat(log.get(3))
        .isInstanceOfSatisfying(
            Write.class,
            w -> {
              assertThat(w.op()).isEqualTo(Op.RESTORE);
              assertThat(w.supersedes()).isEqualTo("3");
              assertThat(w.resource()).isEqualTo(b);
            });
    settle("w2");
    assertThat(log).hasSize(4);

    assertThat(full().get(KEY)).contains(b);
    assertThat(from(2).get(KEY)).contains(b);
    assertThat(from(3).get(KEY)).contains(b);
  }

  @Test
  void aRestoreOvertakenByAnotherWriteIsRestoredAgain() {
    StoredResource a = version("\"a\"", "Creating");
    StoredResource d = version("\"d\"", "Updating");
    put("w1", "1", Expect.ABSENT, a);
    put("w2", "2", Expect.ABSENT, version("\"x\"", "Failed"));
    put("w3", "3", Expect.etag("\"a\""), d);
    add(new Write(Op.RESTORE, "w2", "4", AT, Expect.etag("\"a\""), "2", WORKSPACE, a));

    assertThat(full().get(KEY)).contains(d);
    settle("w2");
    assertThat(((Write) log.get(4)).resource()).isEqualTo(d);

    for (int from = 0; from < log.size(); from++) {
      assertThat(from(from).get(KEY)).as("reading from record %d", from).contains(d);
    }
  }

  @Test
  void anAcceptedDeletionIsFollowedByATombstoneThatLeavesNoTrace() {
    put("w1", "1", Expect.ABSENT, version("\"a\"", "Succeeded"));
    delete("w1", "2", Expect.PRESENT);

    settle("w1");
    assertThat(log.get(2)).isEqualTo(new Tombstone(KEY, "w1", "settle-2", "2"));
    settle("w1");
    assertThat(log).hasSize(3);
    assertThat(full().get(KEY)).isEmpty();
    assertThat(from(2).get(KEY)).isEmpty();
  }

  @Test
  void aTombstoneDoesNotRemoveAResourceCreatedAfterTheDeletionAndIsSettledByARestore() {
    put("w1", "1", Expect.ABSENT, version("\"a\"", "Succeeded"));
    delete("w1", "2", Expect.PRESENT);
    StoredResource again = version("\"b\"", "Creating");
    put("w2", "3", Expect.ABSENT, again);
    add(new Tombstone(KEY, "w1", "4", "2"));

    assertThat(full().get(KEY)).contains(again);
    settle("w1");
    assertThat(((Write) log.get(4)).supersedes()).isEqualTo("4");
    for (int from = 0; from < log.size(); from++) {
      assertThat(from(from).get(KEY)).as("reading from record %d", from).contains(again);
    }
  }

  @Test
  void aTombstoneWrittenByHandAlwaysRemoves() {
    StoreView v = new StoreView();
    StoredResource a = version("\"a\"", "Succeeded");
    v.apply(0, new Write(Op.PUT, "w1", "1", AT, Expect.ANY, null, WORKSPACE, a));

    assertThat(v.apply(1, new Tombstone(KEY, null, null, null)))
        .isEqualTo(new Decision.Applied(a, null));
    assertThat(v.list()).isEmpty();
  }

  @Test
  void recordsSurviveTheirJsonForm() {
    Write w =
        new Write(
            Op.RESTORE, "w1", "9", AT, Expect.etag("\"a\""), "8", WORKSPACE, version("\"a\"", "S"));
    assertThat(StoreRecord.parse(KEY, w.toBytes(), Map.of())).isEqualTo(w);

    Write d = new Write(Op.DELETE, "w1", "10", AT, Expect.PRESENT, null, WORKSPACE, null);
    assertThat(StoreRecord.parse(KEY, d.toBytes(), Map.of())).isEqualTo(d);

    Tombstone t = new Tombstone(KEY, "w1", "11", "10");
    assertThat(StoreRecord.parse(KEY, null, t.headers())).isEqualTo(t);
  }
}
