package io.iomt.pipeline;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * A record of the normalized topic as the group stage keeps it until its Observation is written:
 * only what decoding and dead-lettering need (offset, key, value, headers), not the decoded
 * measurement nor the whole {@link ConsumerRecord}. The topic and partition are the buffer's.
 * Decoding happens when the partition is flushed, on the flush's thread; see docs/benchmarks.md
 * ("Group stage buffer memory") for what this saves.
 *
 * @param key the record's key; null when it had none
 * @param value the normalized measurement's bytes; null for a tombstone (dead-lettered at flush)
 * @param headers the record's headers; null when it had none
 *     <p>Immutable as far as the stage is concerned: it never changes the arrays.
 */
public record BufferedRecord(long offset, byte[] key, byte[] value, Headers headers) {
  /** What the stage keeps of a consumed record (headers only when it has some). */
  public static BufferedRecord of(ConsumerRecord<byte[], byte[]> record) {
    Headers headers = record.headers();
    return new BufferedRecord(
        record.offset(),
        record.key(),
        record.value(),
        headers == null || !headers.iterator().hasNext() ? null : headers);
  }

  /** What the record counts against the stage's byte bound: its value's length. */
  public long size() {
    return value == null ? 0 : value.length;
  }
}
