package io.iomt.core.envelope;

import io.iomt.core.error.InvalidDataFormatException;

/**
 * Refuses text that JSON parsers accept but mangle: malformed or overlong UTF-8 (e.g. {@code C0 AF}
 * for "/"), UTF-8-encoded surrogates, code points above U+10FFFF, and {@code \}{@code u} escapes of
 * lone surrogates ({@code "\}{@code ud800"}). Accepted silently, such input decodes to replacement
 * characters or other characters, so two distinct device ids could become one Device. One pass over
 * the bytes; pure ASCII without escapes costs a comparison per byte. Stateless.
 */
public final class Utf8Validator {
  private Utf8Validator() {}

  /**
   * Checks a whole JSON document.
   *
   * @throws InvalidDataFormatException naming the byte offset of the first problem
   */
  public static void check(byte[] text) {
    check(text, 0, text.length);
  }

  /** Checks {@code text[from, to)}; offsets in the error are relative to {@code from}. */
  public static void check(byte[] text, int from, int to) {
    int i = from;
    while (i < to) {
      int b = text[i] & 0xFF;
      if (b == '\\') {
        i = escape(text, i, from, to);
      } else if (b < 0x80) {
        i++;
      } else {
        i = multiByte(text, i, from, to);
      }
    }
  }

  /**
   * The offset of the first byte of the first ill-formed UTF-8 sequence (overlong, encoded
   * surrogate, above U+10FFFF, stray or missing continuation byte), or -1. Escapes are not looked
   * at: for callers that check decoded text for lone surrogates themselves.
   */
  public static int firstInvalidByte(byte[] text) {
    int i = 0;
    while (i < text.length) {
      if ((text[i] & 0xFF) < 0x80) {
        i++;
        continue;
      }
      try {
        i = multiByte(text, i, 0, text.length);
      } catch (InvalidDataFormatException e) {
        return i;
      }
    }
    return -1;
  }

  private static int escape(byte[] t, int i, int from, int to) {
    if (i + 1 >= to || t[i + 1] != 'u') {
      return i + 2;
    }
    int unit = hex4(t, i + 2, to);
    if (unit < 0 || !Character.isSurrogate((char) unit)) {
      return i + 2;
    }
    if (Character.isLowSurrogate((char) unit)) {
      throw problem("an escaped lone low surrogate (\\u" + hex(unit) + ")", i - from);
    }
    int next = i + 6;
    int low = next + 1 < to && t[next] == '\\' && t[next + 1] == 'u' ? hex4(t, next + 2, to) : -1;
    if (low < 0 || !Character.isLowSurrogate((char) low)) {
      throw problem("an escaped lone high surrogate (\\u" + hex(unit) + ")", i - from);
    }
    return next + 6;
  }

  private static int multiByte(byte[] t, int i, int from, int to) {
    int b = t[i] & 0xFF;
    int length;
    int min;
    int cp;
    if (b >= 0xC2 && b <= 0xDF) {
      length = 2;
      min = 0x80;
      cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      length = 3;
      min = 0x800;
      cp = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      length = 4;
      min = 0x10000;
      cp = b & 0x07;
    } else {
      throw problem(
          b == 0xC0 || b == 0xC1
              ? "an overlong UTF-8 sequence (byte 0x" + hex(b) + ")"
              : "a byte that cannot start a UTF-8 character (0x" + hex(b) + ")",
          i - from);
    }
    if (i + length > to) {
      throw problem("a UTF-8 sequence cut off at the end", i - from);
    }
    for (int k = 1; k < length; k++) {
      int c = t[i + k] & 0xFF;
      if ((c & 0xC0) != 0x80) {
        throw problem("a malformed UTF-8 sequence", i - from);
      }
      cp = (cp << 6) | (c & 0x3F);
    }
    if (cp < min) {
      throw problem("an overlong UTF-8 sequence", i - from);
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      throw problem("a UTF-8-encoded surrogate (U+" + hex(cp) + ")", i - from);
    }
    if (cp > 0x10FFFF) {
      throw problem("a code point above U+10FFFF", i - from);
    }
    return i + length;
  }

  private static int hex4(byte[] t, int at, int to) {
    if (at + 4 > to) {
      return -1;
    }
    int v = 0;
    for (int k = 0; k < 4; k++) {
      int d = Character.digit(t[at + k], 16);
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
    }
    return v;
  }

  private static String hex(int v) {
    return Integer.toHexString(v).toUpperCase(java.util.Locale.ROOT);
  }

  private static InvalidDataFormatException problem(String what, int offset) {
    return new InvalidDataFormatException(
        "The message is not valid UTF-8 text: " + what + " at byte " + offset);
  }
}
