package io.iomt.core.envelope;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which of the JSON reader's limits an input broke, so an error names the right one: a number of
 * 5,000 digits is a number-length problem, not a nesting-depth one. Jackson reports every limit
 * with the same exception type and tells them apart only in its message, which this class reads.
 * Stateless and thread-safe.
 */
public enum JsonReadLimit {
  /** Objects and arrays nested deeper than the configured depth. */
  NESTING_DEPTH("nesting depth", "levels"),
  /** A number with more digits than the reader accepts. */
  NUMBER_LENGTH("number length", "digits"),
  /** A string value longer than the reader accepts. */
  STRING_LENGTH("string length", "characters"),
  /** A property name longer than the reader accepts. */
  NAME_LENGTH("property name length", "characters"),
  /** The whole document longer than the reader accepts. */
  DOCUMENT_LENGTH("document length", "bytes"),
  /** A limit this class does not know by name. */
  OTHER("limit", "");

  /**
   * The longest number, in digits, that any JSON reader of the connector accepts. It is Jackson's
   * default, and there is no setting for it: a longer number is no measurement a device sends.
   */
  public static final int MAX_NUMBER_LENGTH = StreamReadConstraints.DEFAULT_MAX_NUM_LEN;

  private static final Pattern SIZES =
      Pattern.compile("\\((\\d+)\\) exceeds the maximum (?:allowed|length) \\((\\d+)");

  private final String label;
  private final String unit;

  JsonReadLimit(String label, String unit) {
    this.label = label;
    this.unit = unit;
  }

  /** The limit {@code e} reports. */
  public static JsonReadLimit of(StreamConstraintsException e) {
    String m = String.valueOf(e.getOriginalMessage());
    if (m.contains("getMaxNestingDepth") || m.contains("nesting depth")) {
      return NESTING_DEPTH;
    }
    if (m.contains("getMaxNumberLength") || m.startsWith("Number value length")) {
      return NUMBER_LENGTH;
    }
    if (m.contains("getMaxStringLength") || m.startsWith("String value length")) {
      return STRING_LENGTH;
    }
    if (m.contains("getMaxNameLength") || m.startsWith("Name length")) {
      return NAME_LENGTH;
    }
    if (m.contains("getMaxDocumentLength") || m.startsWith("Document length")) {
      return DOCUMENT_LENGTH;
    }
    return OTHER;
  }

  /**
   * One sentence for a user: which limit, the size found and the maximum when Jackson gave them,
   * e.g. {@code "a number of 5000 digits is longer than the maximum of 1000 digits"}.
   */
  public static String describe(StreamConstraintsException e) {
    JsonReadLimit limit = of(e);
    Matcher m = SIZES.matcher(String.valueOf(e.getOriginalMessage()));
    if (limit == OTHER || !m.find()) {
      return "the JSON exceeds a " + limit.label + " of the reader: " + e.getOriginalMessage();
    }
    String found = m.group(1);
    String max = m.group(2);
    return switch (limit) {
      case NESTING_DEPTH ->
          "a nesting depth of "
              + found
              + " levels is deeper than the maximum of "
              + max
              + " levels";
      case NUMBER_LENGTH ->
          "a number of " + found + " digits is longer than the maximum of " + max + " digits";
      case STRING_LENGTH ->
          "a string of "
              + found
              + " characters is longer than the maximum of "
              + max
              + " characters";
      case NAME_LENGTH ->
          "a property name of "
              + found
              + " characters is longer than the maximum of "
              + max
              + " characters";
      case DOCUMENT_LENGTH ->
          "the document of " + found + " bytes is longer than the maximum of " + max + " bytes";
      case OTHER -> throw new AssertionError(limit);
    };
  }

  /** What the limit measures, e.g. {@code "number length"}. */
  public String label() {
    return label;
  }

  /** The unit of its sizes, e.g. {@code "digits"}. */
  public String unit() {
    return unit;
  }
}
