package io.iomt.testkit.azure.eventhubs;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a partition receiver starts, parsed from the selector filter the SDK attaches with ({@code
 * apache.org:selector-filter:string}), e.g. {@code amqp.annotation.x-opt-offset > '-1'}, {@code
 * amqp.annotation.x-opt-sequence-number >= '42'}, {@code amqp.annotation.x-opt-enqueued-time >
 * '1700000000000'} (milliseconds). Offset {@code -1} is the start of the partition, {@code
 * @latest} its end at attach time.
 */
sealed interface StartPosition {

  /** The index (sequence number) of the first event to deliver from this log. */
  long firstIndex(PartitionLog log);

  record AfterOffset(String offset, boolean inclusive) implements StartPosition {
    @Override
    public long firstIndex(PartitionLog log) {
      if (offset.equals("@latest")) {
        return log.size();
      }
      long value = Long.parseLong(offset);
      return log.firstIndexWhere(e -> inclusive ? e.offset() >= value : e.offset() > value);
    }
  }

  record AfterSequenceNumber(long sequenceNumber, boolean inclusive) implements StartPosition {
    @Override
    public long firstIndex(PartitionLog log) {
      return Math.max(0, inclusive ? sequenceNumber : sequenceNumber + 1);
    }
  }

  record AfterEnqueuedTime(long epochMillis, boolean inclusive) implements StartPosition {
    @Override
    public long firstIndex(PartitionLog log) {
      return log.firstIndexWhere(
          e -> {
            long t = e.enqueuedTime().toEpochMilli();
            return inclusive ? t >= epochMillis : t > epochMillis;
          });
    }
  }

  Pattern EXPRESSION =
      Pattern.compile(
          "amqp\\.annotation\\.(x-opt-offset|x-opt-sequence-number|x-opt-enqueued-time)"
              + "\\s*>(=?)\\s*'([^']*)'");

  /** Parses the filter expression; the start of the partition when there is none. */
  static StartPosition parse(String expression) {
    if (expression == null) {
      return new AfterOffset("-1", false);
    }
    Matcher m = EXPRESSION.matcher(expression.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("unsupported selector filter: " + expression);
    }
    boolean inclusive = !m.group(2).isEmpty();
    String value = m.group(3);
    return switch (m.group(1)) {
      case "x-opt-offset" -> new AfterOffset(value, inclusive);
      case "x-opt-sequence-number" -> new AfterSequenceNumber(Long.parseLong(value), inclusive);
      default -> new AfterEnqueuedTime(Long.parseLong(value), inclusive);
    };
  }
}
