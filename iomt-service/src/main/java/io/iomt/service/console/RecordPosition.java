package io.iomt.service.console;

/**
 * A record's place in a topic as the console names it: {@code <partition>-<offset>}, e.g. {@code
 * 0-17} (a dead letter's id in its error topic).
 */
public record RecordPosition(int partition, long offset) {
  public RecordPosition {
    if (partition < 0 || offset < 0) {
      throw new IllegalArgumentException("partition and offset must not be negative");
    }
  }

  /**
   * Reads {@code <partition>-<offset>}.
   *
   * @throws IllegalArgumentException naming the text when it is not of that form
   */
  public static RecordPosition parse(String id) {
    int dash = id == null ? -1 : id.indexOf('-');
    if (dash <= 0 || dash == id.length() - 1) {
      throw new IllegalArgumentException("not a dead letter id (<partition>-<offset>): " + id);
    }
    try {
      return new RecordPosition(
          Integer.parseInt(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a dead letter id (<partition>-<offset>): " + id, e);
    }
  }

  @Override
  public String toString() {
    return partition + "-" + offset;
  }
}
