package io.iomt.service.console;

import java.util.List;

/**
 * How far a replay got (docs/console.md): per replayed dead letter, pending, processed or failed.
 *
 * @param done true when no item is pending
 */
public record ReplayStatus(List<Item> items, boolean done) {
  /**
   * One replayed dead letter.
   *
   * @param id its id in the error topic
   * @param status {@code pending}, {@code processed} or {@code failed}
   * @param error the error name of the new dead letter when failed, else null
   * @param message its message when failed, else null
   */
  public record Item(String id, String status, String error, String message) {}

  public static final String PENDING = "pending";
  public static final String PROCESSED = "processed";
  public static final String FAILED = "failed";

  public ReplayStatus(List<Item> items) {
    this(List.copyOf(items), items.stream().noneMatch(i -> i.status().equals(PENDING)));
  }
}
