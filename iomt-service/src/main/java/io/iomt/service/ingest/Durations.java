package io.iomt.service.ingest;

import java.time.Duration;

/** Durations as people write them in answers: {@code 30 s}, {@code 250 ms}. */
final class Durations {
  private Durations() {}

  static String format(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
