package io.iomt.core.jmespath;

import com.fasterxml.jackson.databind.JsonNode;
import io.burt.jmespath.Expression;
import io.burt.jmespath.JmesPathException;
import io.burt.jmespath.RuntimeConfiguration;
import io.burt.jmespath.function.FunctionRegistry;
import io.burt.jmespath.jackson.JacksonRuntime;
import io.burt.jmespath.node.NodeFactory;
import io.burt.jmespath.parser.ParseError;
import io.burt.jmespath.parser.ParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled JMESPath expression with MedTech's custom functions. Immutable and thread-safe;
 * compile once when the mapping loads, evaluate per event.
 */
public final class JmesPathExpression {
  private static final JacksonRuntime RUNTIME =
      new JacksonRuntime(
          RuntimeConfiguration.builder()
              .withFunctionRegistry(
                  FunctionRegistry.defaultRegistry().extend(MedTechFunctions.all()))
              .build()) {
        @Override
        public NodeFactory<JsonNode> nodeFactory() {
          return new LiteralCheckingNodeFactory(super.nodeFactory(), functionRegistry());
        }
      };

  private final String text;
  private final Expression<JsonNode> expression;

  private JmesPathExpression(String text, Expression<JsonNode> expression) {
    this.text = text;
    this.expression = expression;
  }

  /**
   * Compiles an expression, checking function names and argument counts.
   *
   * @throws JmesPathSyntaxException listing every parse error of the expression
   */
  public static JmesPathExpression compile(String text) {
    try {
      return new JmesPathExpression(text, RUNTIME.compile(text));
    } catch (ParseException e) {
      List<String> problems = new ArrayList<>();
      for (ParseError error : e) {
        problems.add(error.message() + " at position " + error.position());
      }
      throw new JmesPathSyntaxException(text, problems);
    } catch (JmesPathFunctionException e) {
      throw new JmesPathSyntaxException(text, List.of(e.getMessage()));
    } catch (JmesPathException e) {
      throw new JmesPathSyntaxException(text, List.of(e.getMessage()));
    }
  }

  /**
   * Evaluates against a document; returns a Jackson null node when nothing matches.
   *
   * @throws JmesPathFunctionException when a function cannot be applied to the data
   */
  public JsonNode search(JsonNode input) {
    try {
      return expression.search(input);
    } catch (JmesPathFunctionException e) {
      throw e;
    } catch (JmesPathException e) {
      throw new JmesPathFunctionException("JMESPath", e.getMessage());
    }
  }

  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }
}
