package io.iomt.core.observation;

import io.iomt.core.error.ErrorStage;
import io.iomt.core.error.IncompatibleDataException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Encodes values into SampledData slots and back: slot {@code i} covers {@code [start + i*period,
 * start + (i+1)*period)} in milliseconds; each slot holds the last value in it, {@code E} where
 * none. Decoding gives each value the time of its slot's start, so decode-then-encode over the same
 * period is the identity.
 */
final class SampledDataCodec {
  static final String NO_VALUE = "E";

  private SampledDataCodec() {}

  static int slotCount(Instant start, Instant end, double periodMillis) {
    long span = end.toEpochMilli() - start.toEpochMilli();
    return (int) Math.floor(span / periodMillis) + 1;
  }

  static String encode(
      NavigableMap<Instant, String> values, Instant start, Instant end, double periodMillis) {
    int slots = slotCount(start, end, periodMillis);
    String[] data = new String[slots];
    for (Map.Entry<Instant, String> e : values.entrySet()) {
      long offset = e.getKey().toEpochMilli() - start.toEpochMilli();
      int index = (int) Math.floor(offset / periodMillis);
      if (index >= 0 && index < slots) {
        data[index] = decimal(e.getValue());
      }
    }
    StringBuilder b = new StringBuilder(slots * 3);
    for (int i = 0; i < slots; i++) {
      if (i > 0) {
        b.append(' ');
      }
      b.append(data[i] == null ? NO_VALUE : data[i]);
    }
    return b.toString();
  }

  static NavigableMap<Instant, String> decode(String data, Instant start, double periodMillis) {
    NavigableMap<Instant, String> out = new TreeMap<>();
    if (data == null || data.isBlank()) {
      return out;
    }
    String[] tokens = data.trim().split("\\s+");
    for (int i = 0; i < tokens.length; i++) {
      if (!tokens[i].equals(NO_VALUE)) {
        out.put(start.plusMillis(Math.round(i * periodMillis)), tokens[i]);
      }
    }
    return out;
  }

  private static String decimal(String value) {
    String v = value.trim();
    if (v.equals(NO_VALUE) || v.equals("L") || v.equals("U")) {
      return v;
    }
    try {
      return new BigDecimal(v).toPlainString();
    } catch (NumberFormatException e) {
      throw new IncompatibleDataException(
          "SampledData needs decimal values, got '" + value + "'", ErrorStage.FHIR_CONVERSION);
    }
  }
}
