package io.iomt.service.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iomt.core.debug.MappingDebugger;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the mapping debugger's requests (docs/console.md): the body within {@link #MAX_BYTES}, the
 * mappings' texts, and at most {@link #MAX_MESSAGES} messages. Every refusal is a 400 {@code
 * InvalidRequest} that says what to change. Stateless.
 */
final class DebuggerRequests {
  /** Largest request body: 1 MiB. */
  static final int MAX_BYTES = 1024 * 1024;

  /** Most messages in one test. */
  static final int MAX_MESSAGES = 100;

  private static final ObjectMapper JSON = new ObjectMapper();

  private DebuggerRequests() {}

  /** The request body as a JSON object, refused beyond {@link #MAX_BYTES}. */
  static JsonNode body(InputStream in, long contentLength) throws IOException {
    if (contentLength > MAX_BYTES) {
      throw tooLarge();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) >= 0) {
      out.write(buf, 0, n);
      if (out.size() > MAX_BYTES) {
        throw tooLarge();
      }
    }
    JsonNode tree;
    try {
      tree = out.size() == 0 ? null : JSON.readTree(out.toByteArray());
    } catch (JsonProcessingException e) {
      throw DebuggerRefusal.invalid(
          "The request is not valid JSON: " + firstLine(e.getOriginalMessage()));
    }
    if (tree == null || !tree.isObject()) {
      throw DebuggerRefusal.invalid("The request must be a JSON object.");
    }
    return tree;
  }

  /** A mapping's text as UTF-8; null when the field is missing, null or blank (not checked). */
  static byte[] mapping(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw DebuggerRefusal.invalid(
          "'" + field + "' must be the mapping's text (a JSON string), not " + n.getNodeType());
    }
    return n.asText().isBlank() ? null : n.asText().getBytes(StandardCharsets.UTF_8);
  }

  /** As {@link #mapping}, but the mapping must be given. */
  static byte[] requiredMapping(JsonNode body, String field) {
    byte[] m = mapping(body, field);
    if (m == null) {
      throw DebuggerRefusal.invalid("'" + field + "' is required to run messages.");
    }
    return m;
  }

  /** The messages to test, each as the transport would deliver it. */
  static List<MappingDebugger.Message> messages(JsonNode body) {
    JsonNode list = body.path("messages");
    if (!list.isArray()) {
      throw DebuggerRefusal.invalid("'messages' must be an array of {\"body\": \"...\"} objects.");
    }
    if (list.size() > MAX_MESSAGES) {
      throw DebuggerRefusal.invalid(
          "At most "
              + MAX_MESSAGES
              + " messages can be tested at once; this request has "
              + list.size()
              + ".");
    }
    List<MappingDebugger.Message> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode m = list.get(i);
      JsonNode text = m.path("body");
      if (!m.isObject() || !text.isTextual()) {
        throw DebuggerRefusal.invalid(
            "messages[" + i + "].body must be the message as sent, as text (a JSON string).");
      }
      out.add(
          new MappingDebugger.Message(
              text.asText().getBytes(StandardCharsets.UTF_8),
              properties(m, "properties", i),
              properties(m, "systemProperties", i)));
    }
    return out;
  }

  /** An optional text, null when missing or null. */
  static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw DebuggerRefusal.invalid("'" + field + "' must be a string.");
    }
    return n.asText();
  }

  private static Map<String, String> properties(JsonNode message, String field, int index) {
    JsonNode n = message.get(field);
    if (n == null || n.isNull()) {
      return Map.of();
    }
    if (!n.isObject()) {
      throw DebuggerRefusal.invalid(
          "messages[" + index + "]." + field + " must be an object of names and values.");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      JsonNode v = e.getValue();
      if (v.isContainerNode()) {
        throw DebuggerRefusal.invalid(
            "messages[" + index + "]." + field + "." + e.getKey() + " must be a text value.");
      }
      out.put(e.getKey(), v.isNull() ? null : v.asText());
    }
    return out;
  }

  private static DebuggerRefusal tooLarge() {
    return DebuggerRefusal.invalid(
        "The request is larger than " + MAX_BYTES + " bytes (1 MiB); test fewer messages.");
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
