package io.iomt.core.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.iomt.core.jmespath.JmesPathExpression;
import io.iomt.core.jsonpath.JsonPath;
import io.iomt.core.jsonpath.Sink;

/** A compiled template expression in one of the two languages. Immutable and thread-safe. */
sealed interface MappingExpression {

  /** The expression as written in the mapping. */
  String text();

  /** Every token the expression matches: the type-match semantics. */
  void matches(JsonNode root, Sink sink);

  /**
   * The single token a value expression yields, or null when it yields nothing.
   *
   * @throws JsonPath.MultipleTokensException for a JSONPath that matched several tokens
   */
  JsonNode single(JsonNode root);

  record JsonPathExpression(JsonPath path) implements MappingExpression {
    @Override
    public String text() {
      return path.expression();
    }

    @Override
    public void matches(JsonNode root, Sink sink) {
      path.select(root, sink);
    }

    @Override
    public JsonNode single(JsonNode root) {
      return path.selectSingle(root);
    }
  }

  /**
   * A JMESPath expression. As a type match, an array result matches each of its elements, null or
   * {@code false} matches nothing, and any other result is one match ({@code
   * to_array(@)[?heartrate]} matches the root when it has {@code heartrate}).
   */
  record JmesPath(JmesPathExpression expression) implements MappingExpression {
    @Override
    public String text() {
      return expression.text();
    }

    @Override
    public void matches(JsonNode root, Sink sink) {
      JsonNode result = expression.search(root);
      if (result == null || result.isNull() || result.isMissingNode()) {
        return;
      }
      if (result.isArray()) {
        for (JsonNode element : result) {
          if (!element.isNull() && !sink.accept(element)) {
            return;
          }
        }
      } else if (!(result.isBoolean() && !result.booleanValue())) {
        sink.accept(result);
      }
    }

    @Override
    public JsonNode single(JsonNode root) {
      JsonNode result = expression.search(root);
      return result == null || result.isNull() || result.isMissingNode() ? null : result;
    }
  }
}
