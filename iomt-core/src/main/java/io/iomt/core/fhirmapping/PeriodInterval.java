package io.iomt.core.fhirmapping;

import java.util.Locale;

/**
 * How measurements are grouped into one Observation over time: MedTech's {@code periodInterval},
 * given by name or by its number of minutes.
 */
public enum PeriodInterval {
  /** One Observation per distinct timestamp (start = end). */
  SINGLE(0),
  /** One Observation per UTC hour. */
  HOURLY(60),
  /** One Observation per UTC day. */
  DAILY(1440),
  /** One Observation per correlation id, spanning its first to last measurement. */
  CORRELATION_ID(-1);

  private final int minutes;

  PeriodInterval(int minutes) {
    this.minutes = minutes;
  }

  public int minutes() {
    return minutes;
  }

  /** Parses {@code Single}/{@code Hourly}/{@code Daily}/{@code CorrelationId} or 0/60/1440/-1. */
  public static PeriodInterval parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (PeriodInterval p : values()) {
      if (t.equals(p.name().replace("_", "").toLowerCase(Locale.ROOT))
          || t.equals(Integer.toString(p.minutes))) {
        return p;
      }
    }
    return null;
  }
}
