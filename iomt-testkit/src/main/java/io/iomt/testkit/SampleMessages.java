package io.iomt.testkit;

import java.time.Instant;

/**
 * Device messages in the form the bundled sample device mapping ({@code
 * samples/device-mapping.json}) reads: flat JSON objects with {@code deviceId}, {@code patientId},
 * {@code endDate} and the reading. Stateless.
 */
public final class SampleMessages {

  private SampleMessages() {}

  /**
   * A heart-rate message: {@code
   * {"deviceId":"<device>","patientId":"<patient>","endDate":"<time>","heartRate":<value>}}, the
   * time in ISO-8601 UTC ({@code 2026-01-01T10:00:05Z}). Identifiers are written as given: they
   * must not need JSON escaping.
   */
  public static String heartRate(String device, String patient, Instant time, int value) {
    return "{\"deviceId\":\"%s\",\"patientId\":\"%s\",\"endDate\":\"%s\",\"heartRate\":%d}"
        .formatted(device, patient, time, value);
  }
}
