package io.iomt.core.jsonpath;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled JSONPath expression in the Newtonsoft.Json dialect that MedTech mappings are written
 * in. Immutable and thread-safe; compile once, evaluate per event.
 */
public final class JsonPath {
  private final String expression;
  private final Segment[] segments;

  JsonPath(String expression, Segment[] segments) {
    this.expression = expression;
    this.segments = segments;
  }

  /**
   * Compiles an expression.
   *
   * @throws JsonPathSyntaxException when it does not parse, with the offending position
   */
  public static JsonPath compile(String expression) {
    return new PathParser(expression).parsePath();
  }

  /** Feeds every matched token, in document order, to the sink until it returns false. */
  public void select(JsonNode root, Sink sink) {
    evaluate(segments, 0, root, root, sink);
  }

  /** Every matched token, in document order. */
  public List<JsonNode> selectAll(JsonNode root) {
    List<JsonNode> out = new ArrayList<>();
    select(root, out::add);
    return out;
  }

  /**
   * The single matched token, or null when nothing matches.
   *
   * @throws MultipleTokensException when more than one token matches
   */
  public JsonNode selectSingle(JsonNode root) {
    JsonNode[] found = new JsonNode[2];
    select(
        root,
        token -> {
          if (found[0] == null) {
            found[0] = token;
            return true;
          }
          found[1] = token;
          return false;
        });
    if (found[1] != null) {
      throw new MultipleTokensException(expression);
    }
    return found[0];
  }

  public String expression() {
    return expression;
  }

  @Override
  public String toString() {
    return expression;
  }

  static boolean evaluate(Segment[] segments, int index, JsonNode root, JsonNode node, Sink sink) {
    if (index == segments.length) {
      return sink.accept(node);
    }
    Segment segment = segments[index];
    int next = index + 1;
    if (next == segments.length) {
      return segment.apply(root, node, sink);
    }
    return segment.apply(root, node, token -> evaluate(segments, next, root, token, sink));
  }

  /** A single-value expression matched more than one token. */
  public static final class MultipleTokensException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MultipleTokensException(String expression) {
      super("Path returned multiple tokens: " + expression);
    }
  }
}
