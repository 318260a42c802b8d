package io.iomt.service.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads the properties of a request body as ARM does: names matched case-insensitively, {@code
 * null} the same as absent, and every wrong type recorded in {@link RequestProblems} with the
 * property's path. Not thread-safe.
 */
final class BodyReader {
  private final RequestProblems problems;

  BodyReader(RequestProblems problems) {
    this.problems = problems;
  }

  RequestProblems problems() {
    return problems;
  }

  /** The property as written (any case), or null when absent or {@code null}. */
  static Map.Entry<String, JsonNode> find(JsonNode parent, String name) {
    if (parent == null || !parent.isObject()) {
      return null;
    }
    Map.Entry<String, JsonNode> found = null;
    for (Map.Entry<String, JsonNode> e : parent.properties()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isNull()) {
        found = e.getKey().equals(name) || found == null ? e : found;
      }
    }
    return found;
  }

  static JsonNode get(JsonNode parent, String name) {
    Map.Entry<String, JsonNode> e = find(parent, name);
    return e == null ? null : e.getValue();
  }

  /** Whether the property is present with a value other than {@code null}. */
  static boolean has(JsonNode parent, String name) {
    return find(parent, name) != null;
  }

  static String at(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /** An object property; null (and a problem if required or of another type) otherwise. */
  ObjectNode object(JsonNode parent, String path, String name, boolean required) {
    JsonNode v = get(parent, name);
    if (v == null) {
      if (required) {
        problems.invalid(at(path, name), "The property '" + at(path, name) + "' is required.");
      }
      return null;
    }
    if (!v.isObject()) {
      problems.invalid(
          at(path, name),
          "The property '" + at(path, name) + "' must be an object, not " + kind(v) + ".");
      return null;
    }
    return (ObjectNode) v;
  }

  /** A non-blank string property, trimmed; null (with a problem when due) otherwise. */
  String text(JsonNode parent, String path, String name, boolean required) {
    JsonNode v = get(parent, name);
    if (v == null) {
      if (required) {
        problems.invalid(at(path, name), "The property '" + at(path, name) + "' is required.");
      }
      return null;
    }
    if (!v.isTextual()) {
      problems.invalid(
          at(path, name),
          "The property '" + at(path, name) + "' must be a string, not " + kind(v) + ".");
      return null;
    }
    if (v.asText().isBlank()) {
      problems.invalid(at(path, name), "The property '" + at(path, name) + "' must not be empty.");
      return null;
    }
    return v.asText().trim();
  }

  /**
   * A string property that must be one of {@code allowed}, compared case-insensitively; returns the
   * allowed spelling.
   */
  String oneOf(JsonNode parent, String path, String name, boolean required, List<String> allowed) {
    String v = text(parent, path, name, required);
    if (v == null) {
      return null;
    }
    for (String a : allowed) {
      if (a.equalsIgnoreCase(v)) {
        return a;
      }
    }
    problems.invalid(
        at(path, name),
        "The value '"
            + v
            + "' of '"
            + at(path, name)
            + "' is not allowed; it must be one of "
            + quoted(allowed)
            + ".");
    return null;
  }

  /** A boolean property ({@code true}/{@code false}, or those as strings, as ARM reads them). */
  Boolean bool(JsonNode parent, String path, String name) {
    JsonNode v = get(parent, name);
    if (v == null) {
      return null;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isTextual() && (v.asText().trim().equalsIgnoreCase("true"))) {
      return true;
    }
    if (v.isTextual() && (v.asText().trim().equalsIgnoreCase("false"))) {
      return false;
    }
    problems.invalid(
        at(path, name), "The property '" + at(path, name) + "' must be true or false, not " + v);
    return null;
  }

  /** A whole number property of at least {@code min}. */
  Integer integer(JsonNode parent, String path, String name, int min) {
    JsonNode v = get(parent, name);
    if (v == null) {
      return null;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < min) {
      problems.invalid(
          at(path, name),
          "The property '" + at(path, name) + "' must be a whole number of at least " + min + ".");
      return null;
    }
    return v.intValue();
  }

  /** Records every property of {@code node} that is not one of {@code allowed} (any case). */
  void rejectUnknown(JsonNode node, String path, Collection<String> allowed) {
    if (node == null) {
      return;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String n = it.next();
      if (allowed.stream().noneMatch(n::equalsIgnoreCase)) {
        problems.invalid(
            at(path, n),
            "The property '"
                + at(path, n)
                + "' is not known; the known ones are "
                + quoted(allowed)
                + ".");
      }
    }
  }

  static String kind(JsonNode v) {
    return switch (v.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      default -> String.valueOf(v.getNodeType()).toLowerCase(java.util.Locale.ROOT);
    };
  }

  static String quoted(Collection<String> values) {
    return "'" + String.join("', '", values) + "'";
  }
}
