package io.iomt.service.ingest;

import io.iomt.core.envelope.Utf8Validator;

/**
 * Well-formed UTF-8 as the Unicode standard defines it (Table 3-7): no overlong forms ({@code C0
 * AF} for '/'), no encoded surrogates ({@code ED A0 80}), nothing above U+10FFFF, no stray
 * continuation or {@code F5..FF} bytes. JSON parsers decode some of these leniently, which lets two
 * different byte strings become the same device id. The byte check is the core's {@link
 * Utf8Validator}, which every event source goes through too; lone surrogates are checked here on
 * the decoded text. Stateless.
 */
final class StrictUtf8 {
  private StrictUtf8() {}

  /** The offset of the first byte of the first ill-formed sequence in {@code b}, or -1. */
  static int firstInvalid(byte[] b) {
    return Utf8Validator.firstInvalidByte(b);
  }

  /** The index of the first unpaired surrogate among {@code length} chars from {@code offset}. */
  static int firstLoneSurrogate(char[] chars, int offset, int length) {
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      char c = chars[i];
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
          i++;
        } else {
          return i - offset;
        }
      } else if (Character.isLowSurrogate(c)) {
        return i - offset;
      }
    }
    return -1;
  }
}
