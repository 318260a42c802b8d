package io.iomt.core.envelope;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iomt.core.error.InvalidDataFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Utf8ValidatorTest {
  private final EnvelopeReader reader = new EnvelopeReader(MessageLimits.DEFAULTS);

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anEscapedLoneHighSurrogateIsRefusedSoTwoDeviceIdsCannotBecomeOne() {
    // "dev\ud800" and "dev\ud801" would both turn into "dev?" once encoded again.
    assertThatThrownBy(() -> reader.parseBody(utf8("{\"deviceId\":\"dev\\ud800\"}")))
        .isInstanceOf(InvalidDataFormatException.class)
        .hasMessage(
            "The message is not valid UTF-8 text: an escaped lone high surrogate (\\uD800) at"
                + " byte 16");
  }

  @Test
  void anEscapedLoneLowSurrogateIsRefused() {
    assertThatThrownBy(() -> reader.parseBody(utf8("{\"d\":\"\\uDC00x\"}")))
        .isInstanceOf(InvalidDataFormatException.class)
        .hasMessageContaining("lone low surrogate (\\uDC00) at byte 6");
  }

  @Test
  void anOverlongEncodingOfASlashIsRefused() {
    byte[] body = {'{', '"', 'd', '"', ':', '"', 'a', (byte) 0xC0, (byte) 0xAF, '"', '}'};
    assertThatThrownBy(() -> reader.envelope(body, Map.of(), Map.of()))
        .isInstanceOf(InvalidDataFormatException.class)
        .hasMessage(
            "The message is not valid UTF-8 text: an overlong UTF-8 sequence (byte 0xC0) at byte"
                + " 7");
  }

  @Test
  void aThreeByteOverlongSequenceAndAnEncodedSurrogateAreRefused() {
    byte[] overlong = {'"', (byte) 0xE0, (byte) 0x80, (byte) 0xAF, '"'};
    byte[] surrogate = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};
    assertThatThrownBy(() -> Utf8Validator.check(overlong)).hasMessageContaining("overlong");
    assertThatThrownBy(() -> Utf8Validator.check(surrogate))
        .hasMessageContaining("UTF-8-encoded surrogate (U+D800)");
  }

  @Test
  void aTruncatedSequenceAndAStrayContinuationByteAreRefused() {
    assertThatThrownBy(() -> Utf8Validator.check(new byte[] {'"', (byte) 0xE2, (byte) 0x82}))
        .hasMessageContaining("cut off");
    assertThatThrownBy(() -> Utf8Validator.check(new byte[] {'"', (byte) 0x80, '"'}))
        .hasMessageContaining("cannot start a UTF-8 character (0x80)");
    assertThatThrownBy(() -> Utf8Validator.check(new byte[] {(byte) 0xFF}))
        .hasMessageContaining("(0xFF)");
  }

  @Test
  void validTextPairedSurrogatesAndEscapedBackslashesPass() {
    assertThatCode(
            () ->
                Utf8Validator.check(
                    utf8(
                        "{\"name\":\"Zoë ✓ 😀\",\"pair\":\"\\ud83d\\ude00\","
                            + "\"literal\":\"\\\\ud800\",\"quote\":\"\\\"\"}")))
        .doesNotThrowAnyException();
  }
}
