package io.iomt.service.management;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Locating mapping content in a request body. Stateless. */
final class Contents {
  private Contents() {}

  /**
   * The JSON pointer of a nested property as the request spells it (names match
   * case-insensitively), e.g. {@code /Properties/deviceMapping/content}.
   */
  static String pointer(JsonNode request, String... names) {
    StringBuilder b = new StringBuilder();
    JsonNode node = request;
    for (String name : names) {
      Map.Entry<String, JsonNode> e = BodyReader.find(node, name);
      if (e == null) {
        throw new IllegalStateException("no " + name + " at " + b);
      }
      b.append('/').append(e.getKey().replace("~", "~0").replace("/", "~1"));
      node = e.getValue();
    }
    return b.toString();
  }

  /** The positions of a request body that was parsed before. */
  static JsonPositions positions(byte[] body) {
    try {
      return JsonPositions.of(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
