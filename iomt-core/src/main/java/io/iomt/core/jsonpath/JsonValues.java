package io.iomt.core.jsonpath;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/** Scalar comparison rules of the Newtonsoft.Json filter dialect. */
final class JsonValues {
  private JsonValues() {}

  /** {@code ==}: numbers compare by value ({@code 1 == 1.0}); a number never equals a string. */
  static boolean looseEquals(JsonNode l, JsonNode r) {
    if (l.isNumber() && r.isNumber()) {
      return numeric(l, r) == 0;
    }
    return l.getNodeType() == r.getNodeType() && l.equals(r);
  }

  /** {@code ===}: same JSON type (integer and float differ) and same value. */
  static boolean strictEquals(JsonNode l, JsonNode r) {
    if (l.isNumber() && r.isNumber()) {
      return l.isIntegralNumber() == r.isIntegralNumber() && numeric(l, r) == 0;
    }
    return looseEquals(l, r);
  }

  /** Whether {@code <}, {@code >} can order the two values at all. */
  static boolean comparable(JsonNode l, JsonNode r) {
    return (l.isNumber() || numericText(l) != null) && (r.isNumber() || numericText(r) != null)
        || (l.isTextual() && r.isTextual())
        || (l.isBoolean() && r.isBoolean());
  }

  /**
   * Orders two scalars: numbers numerically (a numeric string next to a number is read as a number,
   * as .NET's conversion does), strings ordinally, booleans false before true. Values that cannot
   * be ordered compare as 0, and callers check {@link #comparable} for {@code <=} and {@code >=}.
   */
  static int compare(JsonNode l, JsonNode r) {
    if (l.isTextual() && r.isTextual()) {
      return l.textValue().compareTo(r.textValue());
    }
    if (l.isBoolean() && r.isBoolean()) {
      return Boolean.compare(l.booleanValue(), r.booleanValue());
    }
    BigDecimal a = l.isNumber() ? l.decimalValue() : numericText(l);
    BigDecimal b = r.isNumber() ? r.decimalValue() : numericText(r);
    return a == null || b == null ? 0 : a.compareTo(b);
  }

  private static int numeric(JsonNode l, JsonNode r) {
    if (l.isIntegralNumber()
        && r.isIntegralNumber()
        && l.canConvertToLong()
        && r.canConvertToLong()) {
      return Long.compare(l.longValue(), r.longValue());
    }
    if (!l.isBigDecimal() && !r.isBigDecimal() && !l.isBigInteger() && !r.isBigInteger()) {
      return Double.compare(l.doubleValue(), r.doubleValue());
    }
    return l.decimalValue().compareTo(r.decimalValue());
  }

  private static BigDecimal numericText(JsonNode n) {
    if (!n.isTextual()) {
      return null;
    }
    try {
      return new BigDecimal(n.textValue().trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
