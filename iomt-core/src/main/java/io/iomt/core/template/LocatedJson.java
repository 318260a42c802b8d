package io.iomt.core.template;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.core.envelope.JsonReadLimit;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A JSON document parsed into a Jackson tree together with the line and column of every value and
 * every property name, keyed by JSON Pointer. Jackson trees keep no positions, and mapping problems
 * must be reported at the line and column a user can jump to.
 */
public final class LocatedJson {
  /**
   * Mappings are shallow; the limit keeps the recursive reader far from the thread's stack size.
   */
  public static final int MAX_NESTING_DEPTH = 100;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
          .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** A 1-based position in the source text. */
  public record Position(int line, int column) {
    public static final Position UNKNOWN = new Position(0, 0);
  }

  private final JsonNode root;
  private final Map<String, Position> values;
  private final Map<String, Position> names;
  private final Map<String, Position> duplicates;

  private LocatedJson(
      JsonNode root,
      Map<String, Position> values,
      Map<String, Position> names,
      Map<String, Position> duplicates) {
    this.root = root;
    this.values = values;
    this.names = names;
    this.duplicates = duplicates;
  }

  /**
   * Parses a mapping file, or returns null after recording why it is not valid JSON (at the
   * offending position, with the parser's reason only).
   */
  public static LocatedJson read(byte[] json, Problems problems) {
    try {
      return parse(json);
    } catch (StreamConstraintsException e) {
      JsonLocation at = e.getLocation();
      JsonReadLimit limit = JsonReadLimit.of(e);
      problems.add(
          io.iomt.core.error.TemplateProblem.error(
              at == null || at.getLineNr() < 1 ? 1 : at.getLineNr(),
              at == null || at.getColumnNr() < 1 ? 1 : at.getColumnNr(),
              "The mapping is not valid JSON here: "
                  + JsonReadLimit.describe(e)
                  + (limit == JsonReadLimit.NESTING_DEPTH
                      ? " (mappings are shallow; the limit is fixed)"
                      : limit == JsonReadLimit.NUMBER_LENGTH
                          ? " (a fixed limit of the mapping reader)"
                          : "")));
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String reason = e.getOriginalMessage();
      int nl = reason == null ? -1 : reason.indexOf('\n');
      problems.add(
          io.iomt.core.error.TemplateProblem.error(
              at == null || at.getLineNr() < 1 ? 1 : at.getLineNr(),
              at == null || at.getColumnNr() < 1 ? 1 : at.getColumnNr(),
              "The mapping is not valid JSON: " + (nl < 0 ? reason : reason.substring(0, nl))));
    } catch (IOException e) {
      problems.add(
          io.iomt.core.error.TemplateProblem.error(
              1, 1, "The mapping cannot be read: " + e.getMessage()));
    }
    return null;
  }

  static LocatedJson parse(byte[] json) throws IOException {
    Map<String, Position> values = new HashMap<>();
    Map<String, Position> names = new HashMap<>();
    Map<String, Position> duplicates = new HashMap<>();
    try (JsonParser p = FACTORY.createParser(json)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new IOException("The file is empty");
      }
      JsonNode root = read(p, "", values, names, duplicates);
      if (p.nextToken() != null) {
        throw new JsonParseException(p, "Unexpected content after the end of the JSON document");
      }
      return new LocatedJson(root, values, names, duplicates);
    }
  }

  private static JsonNode read(
      JsonParser p,
      String pointer,
      Map<String, Position> values,
      Map<String, Position> names,
      Map<String, Position> duplicates)
      throws IOException {
    values.put(pointer, position(p.currentTokenLocation()));
    switch (p.currentToken()) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          String child = pointer + "/" + escape(name);
          Position namePosition = position(p.currentTokenLocation());
          if (object.has(name)) {
            // The last occurrence wins, as in Jackson; the binder reports the duplicate here.
            duplicates.put(child, namePosition);
          }
          names.put(child, namePosition);
          p.nextToken();
          object.set(name, read(p, child, values, names, duplicates));
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          array.add(read(p, pointer + "/" + i++, values, names, duplicates));
        }
        return array;
      }
      case VALUE_STRING -> {
        return NODES.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return NODES.numberNode(p.getBigIntegerValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return NODES.numberNode(p.getDecimalValue());
      }
      case VALUE_TRUE -> {
        return NODES.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return NODES.booleanNode(false);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> throw new IOException("Unexpected token " + p.currentToken());
    }
  }

  private static Position position(JsonLocation location) {
    return new Position(location.getLineNr(), location.getColumnNr());
  }

  public static String escape(String name) {
    return name.replace("~", "~0").replace("/", "~1");
  }

  public JsonNode root() {
    return root;
  }

  /** Position of the value at {@code pointer}. */
  public Position valueAt(String pointer) {
    return values.getOrDefault(pointer, Position.UNKNOWN);
  }

  /** Position of a repeated property name (exact spelling), or null when it appears once. */
  public Position duplicateAt(String pointer) {
    return duplicates.get(pointer);
  }

  /** Position of the property name whose value is at {@code pointer}. */
  public Position nameAt(String pointer) {
    return names.getOrDefault(pointer, valueAt(pointer));
  }
}
