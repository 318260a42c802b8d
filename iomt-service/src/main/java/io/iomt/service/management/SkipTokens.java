package io.iomt.service.management;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** {@code $skipToken} of list pages: the key of the last resource of the previous page. */
final class SkipTokens {
  private SkipTokens() {}

  static String encode(String lastKey) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
  }

  static String decode(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ArmException(
          400, "InvalidSkipToken", "The $skipToken is not one this service gave out.");
    }
  }
}
