package io.iomt.service.console;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where a newest-first page of a topic stopped: per partition, the offset below which the next page
 * starts (exclusive upper bound). Written {@code <partition>-<offset>} per partition, joined by
 * commas ({@code 0-17,1-40}), which is what {@code before=} takes back.
 *
 * @param before per partition, the first offset not to read again; unmodifiable
 */
public record TopicCursor(Map<Integer, Long> before) {
  public TopicCursor {
    before = Map.copyOf(before);
  }

  /**
   * Reads a cursor as {@link #toString()} writes it.
   *
   * @throws IllegalArgumentException when the text is not a cursor
   */
  public static TopicCursor parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty cursor");
    }
    Map<Integer, Long> before = new TreeMap<>();
    for (String part : text.split(",", -1)) {
      RecordPosition p;
      try {
        p = RecordPosition.parse(part.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not a cursor: " + text, e);
      }
      if (before.put(p.partition(), p.offset()) != null) {
        throw new IllegalArgumentException("not a cursor (partition twice): " + text);
      }
    }
    return new TopicCursor(before);
  }

  /** The bound of a partition, or {@code otherwise} when the cursor does not name it. */
  public long before(int partition, long otherwise) {
    return before.getOrDefault(partition, otherwise);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    new TreeMap<>(before)
        .forEach((p, o) -> b.append(b.isEmpty() ? "" : ",").append(p).append('-').append(o));
    return b.toString();
  }
}
