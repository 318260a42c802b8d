package io.iomt.service.ingest;

import org.apache.kafka.common.record.DefaultRecord;
import org.apache.kafka.common.record.DefaultRecordBatch;

/**
 * Kafka's size of an ingest record, as the producer checks it against {@code max.request.size} and
 * the broker against {@code max.message.bytes}: the batch header, the record's own overhead, the
 * key and the value (no headers). The key is the message's {@code deviceId}, a part of the message,
 * so it is at most as large as the value: a message of {@code iomt.ingest.max-message-size} needs
 * at most {@link #forMessageLimit} bytes. Stateless.
 */
public final class RecordSize {
  private static final int OVERHEAD =
      DefaultRecordBatch.RECORD_BATCH_OVERHEAD + DefaultRecord.MAX_RECORD_OVERHEAD;

  private RecordSize() {}

  /** The largest record a message within {@code maxMessageBytes} can make (key counted). */
  public static int forMessageLimit(int maxMessageBytes) {
    return (int) Math.min(Integer.MAX_VALUE, OVERHEAD + 2L * maxMessageBytes);
  }

  /** The upper bound of one record's size in a batch of its own. */
  static long of(DeviceMessage m) {
    return OVERHEAD + (long) m.keyLength() + m.value().length;
  }
}
