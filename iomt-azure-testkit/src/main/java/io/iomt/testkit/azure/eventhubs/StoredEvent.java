package io.iomt.testkit.azure.eventhubs;

import java.time.Instant;

/**
 * An event as the server holds it in a partition: what was published plus what Event Hubs assigns
 * on enqueue. Sequence numbers start at 0 per partition; offsets are byte positions in a notional
 * log (each event takes its body length plus one byte, so they grow strictly), handed to clients as
 * decimal strings like Event Hubs' {@code x-opt-offset}.
 */
public record StoredEvent(
    String partitionId, long sequenceNumber, long offset, Instant enqueuedTime, TestEvent event) {

  /** The offset as clients see it ({@code x-opt-offset}, a string). */
  public String offsetString() {
    return Long.toString(offset);
  }
}
