package io.iomt.service.console;

import io.iomt.pipeline.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Which dead letters to show or replay; every part is optional (null: any).
 *
 * @param error the error name, exactly (e.g. {@code IncompatibleDataException})
 * @param device a text the body must contain (device ids are in the bodies)
 * @param from the earliest dead-letter time, inclusive
 * @param to the latest dead-letter time, inclusive
 */
public record DeadLetterFilter(String error, String device, Instant from, Instant to) {
  /** Matches every dead letter. */
  public static final DeadLetterFilter ANY = new DeadLetterFilter(null, null, null, null);

  public DeadLetterFilter {
    error = blankToNull(error);
    device = blankToNull(device);
    if (from != null && to != null && from.isAfter(to)) {
      throw new IllegalArgumentException("from must not be after to");
    }
  }

  /**
   * A filter of request parameters.
   *
   * @throws IllegalArgumentException naming the parameter that is not an ISO-8601 instant
   */
  public static DeadLetterFilter of(String error, String device, String from, String to) {
    return new DeadLetterFilter(error, device, instant("from", from), instant("to", to));
  }

  /** Whether the dead letter (a record of the error topic) passes. */
  public boolean matches(ConsumerRecord<byte[], byte[]> record) {
    if (from != null && record.timestamp() < from.toEpochMilli()) {
      return false;
    }
    if (to != null && record.timestamp() > to.toEpochMilli()) {
      return false;
    }
    if (error != null && !error.equals(DeadLetters.header(record.headers(), DeadLetters.ERROR))) {
      return false;
    }
    return device == null
        || (record.value() != null
            && new String(record.value(), StandardCharsets.UTF_8).contains(device));
  }

  private static Instant instant(String name, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          name + " is not an ISO-8601 instant (e.g. 2026-03-01T10:00:00Z): " + text, e);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
