package io.iomt.core.jsonpath;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/** The boolean expression of a filter {@code [?(...)]}, evaluated against the current token. */
sealed interface FilterExpression {

  boolean test(JsonNode root, JsonNode current);

  record Or(FilterExpression left, FilterExpression right) implements FilterExpression {
    @Override
    public boolean test(JsonNode root, JsonNode current) {
      return left.test(root, current) || right.test(root, current);
    }
  }

  record And(FilterExpression left, FilterExpression right) implements FilterExpression {
    @Override
    public boolean test(JsonNode root, JsonNode current) {
      return left.test(root, current) && right.test(root, current);
    }
  }

  /** {@code @.x}: true when the path finds any token, even a JSON {@code null} or {@code false}. */
  record Exists(Operand path) implements FilterExpression {
    @Override
    public boolean test(JsonNode root, JsonNode current) {
      boolean[] found = {false};
      path.select(root, current, token -> !(found[0] = true));
      return found[0];
    }
  }

  /**
   * {@code left op right}: true when any pair of tokens of the two sides matches, as
   * Newtonsoft.Json does. A side that finds nothing makes the comparison false, also for {@code
   * !=}; an object or array compared with {@code !=} counts as different.
   */
  record Compare(Operand left, Operator operator, Operand right) implements FilterExpression {
    @Override
    public boolean test(JsonNode root, JsonNode current) {
      boolean[] matched = {false};
      left.select(
          root,
          current,
          l ->
              right.select(
                  root, current, r -> !(matched[0] = operator.matches(l, r, right.regex()))));
      return matched[0];
    }
  }

  /** Comparison operators of the dialect. */
  enum Operator {
    EQ("=="),
    STRICT_EQ("==="),
    NE("!="),
    STRICT_NE("!=="),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">="),
    REGEX("=~");

    final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    boolean matches(JsonNode l, JsonNode r, Pattern regex) {
      boolean scalars = l.isValueNode() && r.isValueNode();
      if (!scalars) {
        return this == NE || this == STRICT_NE;
      }
      return switch (this) {
        case EQ -> JsonValues.looseEquals(l, r);
        case NE -> !JsonValues.looseEquals(l, r);
        case STRICT_EQ -> JsonValues.strictEquals(l, r);
        case STRICT_NE -> !JsonValues.strictEquals(l, r);
        case LT -> JsonValues.compare(l, r) < 0;
        case LE -> JsonValues.compare(l, r) <= 0 && JsonValues.comparable(l, r);
        case GT -> JsonValues.compare(l, r) > 0 && JsonValues.comparable(l, r);
        case GE -> JsonValues.compare(l, r) >= 0 && JsonValues.comparable(l, r);
        case REGEX -> regex != null && l.isTextual() && regex.matcher(l.asText()).find();
      };
    }
  }

  /** One side of a comparison: a path from {@code @} or {@code $}, or a constant. */
  sealed interface Operand {
    /** Feeds the operand's tokens to the sink; returns false when the sink stopped early. */
    boolean select(JsonNode root, JsonNode current, Sink sink);

    default Pattern regex() {
      return null;
    }
  }

  record PathOperand(boolean fromRoot, Segment[] segments) implements Operand {
    @Override
    public boolean select(JsonNode root, JsonNode current, Sink sink) {
      return JsonPath.evaluate(segments, 0, root, fromRoot ? root : current, sink);
    }
  }

  record Constant(JsonNode value) implements Operand {
    @Override
    public boolean select(JsonNode root, JsonNode current, Sink sink) {
      return sink.accept(value);
    }
  }

  record RegexConstant(JsonNode text, Pattern pattern) implements Operand {
    @Override
    public boolean select(JsonNode root, JsonNode current, Sink sink) {
      return sink.accept(text);
    }

    @Override
    public Pattern regex() {
      return pattern;
    }
  }
}
