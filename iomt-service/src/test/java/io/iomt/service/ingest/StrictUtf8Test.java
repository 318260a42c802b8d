package io.iomt.service.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrictUtf8Test {
  private static int firstInvalid(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return StrictUtf8.firstInvalid(b);
  }

  @Test
  void wellFormedTextOfEveryLengthIsValid() {
    assertThat(StrictUtf8.firstInvalid("a é € 😀 \uFFFD".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(-1);
    assertThat(firstInvalid(0xF4, 0x8F, 0xBF, 0xBF)).as("U+10FFFF").isEqualTo(-1);
    assertThat(firstInvalid(0xEF, 0xBF, 0xBF)).isEqualTo(-1);
  }

  @Test
  void illFormedSequencesAreFoundAtTheirFirstByte() {
    assertThat(firstInvalid('a', 0xC0, 0xAF)).as("overlong /").isEqualTo(1);
    assertThat(firstInvalid(0xC1, 0xBF)).as("overlong").isEqualTo(0);
    assertThat(firstInvalid(0xE0, 0x80, 0xAF)).as("overlong 3-byte").isEqualTo(0);
    assertThat(firstInvalid(0xF0, 0x80, 0x80, 0xAF)).as("overlong 4-byte").isEqualTo(0);
    assertThat(firstInvalid('x', 'y', 0xED, 0xA0, 0x80)).as("encoded surrogate").isEqualTo(2);
    assertThat(firstInvalid(0xF4, 0x90, 0x80, 0x80)).as("above U+10FFFF").isEqualTo(0);
    assertThat(firstInvalid(0xFF)).isEqualTo(0);
    assertThat(firstInvalid(0x80)).as("stray continuation").isEqualTo(0);
    assertThat(firstInvalid('a', 0xE2, 0x82)).as("truncated").isEqualTo(1);
    assertThat(firstInvalid(0xE2, 0x28, 0xA1)).as("bad continuation").isEqualTo(0);
  }

  @Test
  void loneSurrogatesAreFoundAndPairsAreNot() {
    assertThat(StrictUtf8.firstLoneSurrogate("ab\uD83D\uDE00".toCharArray(), 0, 4)).isEqualTo(-1);
    assertThat(StrictUtf8.firstLoneSurrogate("ab\uD800".toCharArray(), 0, 3)).isEqualTo(2);
    assertThat(StrictUtf8.firstLoneSurrogate("\uDC00b".toCharArray(), 0, 2)).isEqualTo(0);
    assertThat(StrictUtf8.firstLoneSurrogate("x\uD800\uD800\uDC00".toCharArray(), 1, 3))
        .isEqualTo(0);
  }
}
