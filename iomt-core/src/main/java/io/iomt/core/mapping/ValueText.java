package io.iomt.core.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * Turns a matched JSON token into the string a measurement stores: text as-is, integers as digits,
 * floats in plain shortest form without trailing zeros ({@code 60.0} becomes {@code "60"}, as .NET
 * prints doubles), booleans as {@code true}/{@code false}, objects and arrays as compact JSON.
 */
final class ValueText {
  private ValueText() {}

  /** The token's text, or null for a missing token or JSON null. */
  static String of(JsonNode token) {
    if (token == null || token.isNull() || token.isMissingNode()) {
      return null;
    }
    if (token.isTextual()) {
      return token.textValue();
    }
    if (token.isIntegralNumber()) {
      return token.canConvertToLong()
          ? Long.toString(token.longValue())
          : token.bigIntegerValue().toString();
    }
    if (token.isNumber()) {
      if (!token.isBigDecimal() && !Double.isFinite(token.doubleValue())) {
        return token.asText();
      }
      BigDecimal d =
          token.isBigDecimal()
              ? token.decimalValue()
              : new BigDecimal(Double.toString(token.doubleValue()));
      if (d.signum() == 0) {
        return "0";
      }
      return d.stripTrailingZeros().toPlainString();
    }
    if (token.isBoolean()) {
      return token.booleanValue() ? "true" : "false";
    }
    return token.toString();
  }

  static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }
}
