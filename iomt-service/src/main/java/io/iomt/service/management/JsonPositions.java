package io.iomt.service.management;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where each token of a JSON document is: for every property name and every value, its line and
 * column, its JSON pointer and its ARM property path ({@code a.b[0].c}), and the byte range of
 * every object and array. Built by walking a Jackson parser over the very bytes that were
 * validated, so positions agree with those Jackson reports elsewhere (byte-based columns).
 * Immutable.
 */
final class JsonPositions {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$-]*");

  /** A 1-based position. */
  record Position(int line, int column) implements Comparable<Position> {
    @Override
    public int compareTo(Position o) {
      return line != o.line ? Integer.compare(line, o.line) : Integer.compare(column, o.column);
    }

    @Override
    public String toString() {
      return line + ":" + column;
    }
  }

  /**
   * One token: the pointer of the value it names or is, its ARM path, whether it is the property
   * name, and which occurrence of that name it is (a repeated property name has several).
   */
  record Token(String pointer, String path, boolean isName, int occurrence) {}

  private final TreeMap<Position, Token> tokens = new TreeMap<>();
  private final Map<String, List<Position>> names = new HashMap<>();
  private final Map<String, List<Position>> values = new HashMap<>();
  private final Map<String, String> paths = new HashMap<>();
  private final Map<String, long[]> ranges = new HashMap<>();

  private JsonPositions() {}

  /**
   * Walks a document.
   *
   * @throws IOException when it is not JSON (the caller parsed it before, so this is unexpected)
   */
  static JsonPositions of(byte[] json) throws IOException {
    JsonPositions out = new JsonPositions();
    Map<String, Long> starts = new HashMap<>();
    try (JsonParser p = FACTORY.createParser(json)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        JsonStreamContext ctx = p.getParsingContext();
        JsonLocation at = p.currentTokenLocation();
        Position position = new Position(at.getLineNr(), at.getColumnNr());
        String pointer = ctx.pathAsPointer().toString();
        switch (t) {
          case END_OBJECT, END_ARRAY -> {
            // The context is the parent's again: its pointer is the closed container's.
            Long start = starts.remove(pointer);
            if (start != null) {
              out.ranges.put(pointer, new long[] {start, at.getByteOffset() + 1});
            }
          }
          case FIELD_NAME -> out.add(out.names, position, pointer, path(ctx), true);
          default -> {
            JsonStreamContext owner =
                t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY ? ctx.getParent() : ctx;
            out.add(out.values, position, pointer, path(owner), false);
            if (t.isStructStart()) {
              starts.put(pointer, at.getByteOffset());
            }
          }
        }
      }
    }
    return out;
  }

  private void add(
      Map<String, List<Position>> index,
      Position position,
      String pointer,
      String path,
      boolean isName) {
    List<Position> at = index.computeIfAbsent(pointer, k -> new ArrayList<>());
    at.add(position);
    paths.putIfAbsent(pointer, path);
    tokens.put(position, new Token(pointer, path, isName, at.size() - 1));
  }

  /** The ARM path ({@code a.b[0]}) of the value a context is at. */
  private static String path(JsonStreamContext ctx) {
    StringBuilder b = new StringBuilder();
    for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inObject() && c.getCurrentName() != null) {
        String n = c.getCurrentName();
        b.insert(
            0, PLAIN_NAME.matcher(n).matches() ? "." + n : "['" + n.replace("'", "\\'") + "']");
      } else if (c.inArray() && c.getCurrentIndex() >= 0) {
        b.insert(0, "[" + c.getCurrentIndex() + "]");
      }
    }
    return b.length() > 0 && b.charAt(0) == '.' ? b.substring(1) : b.toString();
  }

  /** The token at a position, or the last one before it; null before the first token. */
  Token tokenAt(Position position) {
    Map.Entry<Position, Token> e = tokens.floorEntry(position);
    return e == null ? null : e.getValue();
  }

  /**
   * Where a token of the same kind, pointer and occurrence is in this document; null when this
   * document has no such token.
   */
  Position positionOf(String pointer, boolean isName, int occurrence) {
    List<Position> at = (isName ? names : values).get(pointer);
    if (at == null || at.isEmpty()) {
      return isName ? positionOf(pointer, false, occurrence) : null;
    }
    return at.get(Math.min(occurrence, at.size() - 1));
  }

  /** The value's position (its last occurrence); null when absent. */
  Position valueAt(String pointer) {
    List<Position> at = values.get(pointer);
    return at == null ? null : at.get(at.size() - 1);
  }

  /** The ARM path of the value at {@code pointer}; null when absent. */
  String pathOf(String pointer) {
    return paths.get(pointer);
  }

  /**
   * The bytes of the object or array at {@code pointer} (its last occurrence, the one a parsed tree
   * keeps), exactly as written; null when there is none.
   */
  byte[] slice(byte[] json, String pointer) {
    long[] r = ranges.get(pointer);
    if (r == null) {
      return null;
    }
    byte[] out = new byte[(int) (r[1] - r[0])];
    System.arraycopy(json, (int) r[0], out, 0, out.length);
    return out;
  }
}
