package io.iomt.service.ingest;

/**
 * Well-formed UTF-8 as the Unicode standard defines it (Table 3-7): no overlong forms ({@code C0
 * AF} for '/'), no encoded surrogates ({@code ED A0 80}), nothing above U+10FFFF, no stray
 * continuation or {@code F5..FF} bytes. JSON parsers decode some of these leniently, which lets two
 * different byte strings become the same device id. Stateless.
 */
final class StrictUtf8 {
  private StrictUtf8() {}

  /** The offset of the first byte of the first ill-formed sequence in {@code b}, or -1. */
  static int firstInvalid(byte[] b) {
    int i = 0;
    int n = b.length;
    while (i < n) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        i++;
        continue;
      }
      int len;
      int lo = 0x80;
      int hi = 0xBF;
      if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
      } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) {
          lo = 0xA0;
        } else if (c == 0xED) {
          hi = 0x9F;
        }
      } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) {
          lo = 0x90;
        } else if (c == 0xF4) {
          hi = 0x8F;
        }
      } else {
        return i;
      }
      if (i + len > n) {
        return i;
      }
      int second = b[i + 1] & 0xFF;
      if (second < lo || second > hi) {
        return i;
      }
      for (int k = 2; k < len; k++) {
        int cont = b[i + k] & 0xFF;
        if (cont < 0x80 || cont > 0xBF) {
          return i;
        }
      }
      i += len;
    }
    return -1;
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
