package io.iomt.core.measurement;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Parsing and printing of measurement timestamps.
 *
 * <p>Accepted: ISO-8601 date-times with {@code T} or a space between date and time, optional
 * seconds and fraction, an offset of {@code Z}, {@code +hh:mm}, {@code +hhmm} or {@code +hh}; a
 * date-time without offset is UTC; a bare date is midnight UTC. Precision is kept to 100 ns (7
 * fractional digits, .NET's tick, which MedTech uses); further digits are truncated.
 *
 * <p>Hand-written rather than a {@code DateTimeFormatter} with optional sections: the formatter
 * costs more than the rest of a typical mapping per event (see docs/benchmarks.md), and this
 * grammar is small.
 */
public final class Timestamps {
  private static final int NANOS_PER_TICK = 100;

  private Timestamps() {}

  /** Parses a timestamp, or returns empty when the text is not one of the accepted forms. */
  public static Optional<Instant> parse(String text) {
    try {
      return Optional.ofNullable(parseOrNull(text.trim()));
    } catch (DateTimeException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Instant parseOrNull(String s) {
    int n = s.length();
    if (n < 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    if (n == 10) {
      return LocalDate.of(year, month, day).atStartOfDay().toInstant(ZoneOffset.UTC);
    }
    char sep = s.charAt(10);
    if ((sep != 'T' && sep != 't' && sep != ' ') || n < 16 || s.charAt(13) != ':') {
      return null;
    }
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = 0;
    int nanos = 0;
    int i = 16;
    if (i < n && s.charAt(i) == ':') {
      if (i + 3 > n) {
        return null;
      }
      second = digits(s, i + 1, i + 3);
      i += 3;
      if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
        int start = ++i;
        int fraction = 0;
        while (i < n && isDigit(s.charAt(i))) {
          if (i - start < 9) {
            fraction = fraction * 10 + (s.charAt(i) - '0');
          }
          i++;
        }
        int count = i - start;
        if (count == 0) {
          return null;
        }
        for (int k = Math.min(count, 9); k < 9; k++) {
          fraction *= 10;
        }
        nanos = fraction - fraction % NANOS_PER_TICK;
      }
    }
    ZoneOffset offset = i == n ? ZoneOffset.UTC : offset(s, i);
    if (offset == null) {
      return null;
    }
    return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(offset);
  }

  private static ZoneOffset offset(String s, int i) {
    int n = s.length();
    char c = s.charAt(i);
    if ((c == 'Z' || c == 'z') && i + 1 == n) {
      return ZoneOffset.UTC;
    }
    if (c != '+' && c != '-') {
      return null;
    }
    int sign = c == '-' ? -1 : 1;
    String rest = s.substring(i + 1);
    int hours;
    int minutes = 0;
    if (rest.length() == 2) {
      hours = digits(rest, 0, 2);
    } else if (rest.length() == 4) {
      hours = digits(rest, 0, 2);
      minutes = digits(rest, 2, 4);
    } else if (rest.length() == 5 && rest.charAt(2) == ':') {
      hours = digits(rest, 0, 2);
      minutes = digits(rest, 3, 5);
    } else {
      return null;
    }
    return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
  }

  private static int digits(String s, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        throw new NumberFormatException(s);
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * Prints an instant as ISO-8601 UTC with {@code Z}, seconds always present and the fraction
   * trimmed of trailing zeros: {@code 2021-07-07T17:00:00Z}, {@code 2021-07-07T17:00:00.1234567Z}.
   */
  public static String format(Instant instant) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
    StringBuilder b = new StringBuilder(28);
    int year = t.getYear();
    if (year < 1000 || year > 9999) {
      return instant.toString();
    }
    b.append(year).append('-');
    pad2(b, t.getMonthValue()).append('-');
    pad2(b, t.getDayOfMonth()).append('T');
    pad2(b, t.getHour()).append(':');
    pad2(b, t.getMinute()).append(':');
    pad2(b, t.getSecond());
    int nanos = instant.getNano();
    if (nanos != 0) {
      String fraction = Integer.toString(1_000_000_000 + nanos).substring(1);
      int end = fraction.length();
      while (fraction.charAt(end - 1) == '0') {
        end--;
      }
      b.append('.').append(fraction, 0, end);
    }
    return b.append('Z').toString();
  }

  private static StringBuilder pad2(StringBuilder b, int v) {
    if (v < 10) {
      b.append('0');
    }
    return b.append(v);
  }
}
