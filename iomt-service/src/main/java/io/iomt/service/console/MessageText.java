package io.iomt.service.console;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A message body as the console shows it: the text when the bytes are valid UTF-8, otherwise the
 * bytes in base64, so that nothing is altered on the way to the page (and back on replay, which
 * re-sends the stored bytes, not this text).
 *
 * @param body the text, or the base64 of the bytes; never null
 * @param encoding {@code utf-8} or {@code base64}
 */
public record MessageText(String body, String encoding) {
  public static final String UTF_8 = "utf-8";
  public static final String BASE64 = "base64";

  /** The text of {@code bytes} (null is the empty body). */
  public static MessageText of(byte[] bytes) {
    if (bytes == null) {
      return new MessageText("", UTF_8);
    }
    try {
      return new MessageText(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString(),
          UTF_8);
    } catch (CharacterCodingException e) {
      return new MessageText(Base64.getEncoder().encodeToString(bytes), BASE64);
    }
  }

  /** A key or header value as text (lossy for invalid UTF-8), or null. */
  static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
