package io.iomt.core.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The properties of one mapping object, looked up case-insensitively as MedTech does, reporting
 * unknown, duplicate, missing and mistyped properties to the parser.
 */
final class Props {
  private final DeviceMappingParser parser;
  private final LocatedJson doc;
  private final String pointer;
  private final JsonNode object;
  private final String what;

  Props(DeviceMappingParser parser, LocatedJson doc, String pointer, JsonNode object, String what) {
    this.parser = parser;
    this.doc = doc;
    this.pointer = pointer;
    this.object = object;
    this.what = what;
  }

  List<String> names() {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The actual spelling of a property in this object, or null. */
  private String actual(String canonical) {
    for (String name : names()) {
      if (name.equalsIgnoreCase(canonical)) {
        return name;
      }
    }
    return null;
  }

  JsonNode get(String canonical) {
    String name = actual(canonical);
    return name == null ? null : object.get(name);
  }

  /** JSON Pointer of the property (as spelled in the file, or canonical when absent). */
  String pointer(String canonical) {
    String name = actual(canonical);
    return pointerOf(name == null ? canonical : name);
  }

  String pointerOf(String name) {
    return pointer + "/" + LocatedJson.escape(name);
  }

  void missing(String canonical) {
    parser.error(doc.valueAt(pointer), "Missing required property '" + canonical + "' in " + what);
  }

  /** A required non-blank string property, or null after reporting the problem. */
  String requiredText(String canonical) {
    JsonNode node = get(canonical);
    if (node == null || node.isNull()) {
      missing(canonical);
      return null;
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      parser.error(
          doc.valueAt(pointer(canonical)),
          "'" + canonical + "' must be a non-empty string in " + what);
      return null;
    }
    return node.asText();
  }

  /** An optional boolean; {@code "true"}/{@code "false"} strings count, as in MedTech. */
  boolean bool(String canonical) {
    JsonNode node = get(canonical);
    if (node == null || node.isNull()) {
      return false;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isTextual()) {
      String text = node.asText().trim();
      if (text.equalsIgnoreCase("true")) {
        return true;
      }
      if (text.equalsIgnoreCase("false")) {
        return false;
      }
    }
    parser.error(
        doc.valueAt(pointer(canonical)), "'" + canonical + "' must be true or false, not " + node);
    return false;
  }

  void rejectUnknown(Collection<String> allowed, String kind) {
    for (String name : names()) {
      if (canonical(name, allowed) == null) {
        parser.error(
            doc.nameAt(pointerOf(name)),
            "Unknown property '" + name + "' in " + what + suggestion(name, allowed));
      }
    }
    reportDuplicates();
  }

  /**
   * Reports properties spelled twice in different cases ({@code typeName} and {@code TypeName}).
   */
  void reportDuplicates() {
    List<String> names = names();
    for (int i = 0; i < names.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (names.get(i).equalsIgnoreCase(names.get(j))) {
          parser.error(
              doc.nameAt(pointerOf(names.get(i))),
              "Property '" + names.get(i) + "' appears twice in " + what);
        }
      }
      LocatedJson.Position repeated = doc.duplicateAt(pointerOf(names.get(i)));
      if (repeated != null) {
        parser.error(repeated, "Property '" + names.get(i) + "' appears twice in " + what);
      }
    }
  }

  static String canonical(String name, Collection<String> known) {
    for (String k : known) {
      if (k.equalsIgnoreCase(name)) {
        return k;
      }
    }
    return null;
  }

  static String suggestion(String name, Collection<String> known) {
    String best = null;
    int bestDistance = 4;
    for (String k : known) {
      int d = distance(name.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best == null ? "" : " (did you mean '" + best + "'?)";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
