package io.iomt.core.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The properties of one mapping object, looked up case-insensitively as MedTech does, reporting
 * unknown, duplicate, missing and mistyped properties to the parser.
 */
public final class Props {
  private final Problems problems;
  private final LocatedJson doc;
  private final String pointer;
  private final JsonNode object;
  private final String what;

  private Props(Problems problems, LocatedJson doc, String pointer, JsonNode object, String what) {
    this.problems = problems;
    this.doc = doc;
    this.pointer = pointer;
    this.object = object;
    this.what = what;
  }

  /**
   * The properties of the object at {@code pointer} ({@code ""} for the root), or null after
   * reporting that it is not an object.
   */
  public static Props of(Problems problems, LocatedJson doc, String pointer, String what) {
    JsonNode node = pointer.isEmpty() ? doc.root() : doc.root().at(pointer);
    if (node == null || !node.isObject()) {
      problems.error(doc.valueAt(pointer), "Expected " + what + " to be a JSON object");
      return null;
    }
    return new Props(problems, doc, pointer, node, what);
  }

  /** What this object is, for messages ("a CodeValueFhir template"). */
  public String what() {
    return what;
  }

  /** Position of this object's opening brace. */
  public LocatedJson.Position position() {
    return doc.valueAt(pointer);
  }

  /** Position of a property's value (or of this object when the property is absent). */
  public LocatedJson.Position valueAt(String canonical) {
    return actual(canonical) == null ? position() : doc.valueAt(pointer(canonical));
  }

  /** Position of a property's name as spelled in the file. */
  public LocatedJson.Position nameAt(String name) {
    return doc.nameAt(pointerOf(name));
  }

  public List<String> names() {
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

  public JsonNode get(String canonical) {
    String name = actual(canonical);
    return name == null ? null : object.get(name);
  }

  /** JSON Pointer of the property (as spelled in the file, or canonical when absent). */
  public String pointer(String canonical) {
    String name = actual(canonical);
    return pointerOf(name == null ? canonical : name);
  }

  public String pointerOf(String name) {
    return pointer + "/" + LocatedJson.escape(name);
  }

  public void missing(String canonical) {
    problems.error(
        doc.valueAt(pointer), "Missing required property '" + canonical + "' in " + what);
  }

  /** A required non-blank string property, or null after reporting the problem. */
  public String requiredText(String canonical) {
    JsonNode node = get(canonical);
    if (node == null || node.isNull()) {
      missing(canonical);
      return null;
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      problems.error(
          doc.valueAt(pointer(canonical)),
          "'" + canonical + "' must be a non-empty string in " + what);
      return null;
    }
    return node.asText();
  }

  /** An optional boolean; {@code "true"}/{@code "false"} strings count, as in MedTech. */
  public boolean bool(String canonical) {
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
    problems.error(
        doc.valueAt(pointer(canonical)), "'" + canonical + "' must be true or false, not " + node);
    return false;
  }

  public void rejectUnknown(Collection<String> allowed, String kind) {
    for (String name : names()) {
      if (canonical(name, allowed) == null) {
        problems.error(
            doc.nameAt(pointerOf(name)),
            "Unknown property '" + name + "' in " + what + suggestion(name, allowed));
      }
    }
    reportDuplicates();
  }

  /**
   * Reports properties spelled twice in different cases ({@code typeName} and {@code TypeName}).
   */
  public void reportDuplicates() {
    List<String> names = names();
    for (int i = 0; i < names.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (names.get(i).equalsIgnoreCase(names.get(j))) {
          problems.error(
              doc.nameAt(pointerOf(names.get(i))),
              "Property '" + names.get(i) + "' appears twice in " + what);
        }
      }
      LocatedJson.Position repeated = doc.duplicateAt(pointerOf(names.get(i)));
      if (repeated != null) {
        problems.error(repeated, "Property '" + names.get(i) + "' appears twice in " + what);
      }
    }
  }

  public static String canonical(String name, Collection<String> known) {
    for (String k : known) {
      if (k.equalsIgnoreCase(name)) {
        return k;
      }
    }
    return null;
  }

  public static String suggestion(String name, Collection<String> known) {
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
