package io.iomt.core.jmespath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.burt.jmespath.Expression;
import io.burt.jmespath.function.Function;
import io.burt.jmespath.node.CreateObjectNode;
import io.burt.jmespath.node.JsonLiteralNode;
import io.burt.jmespath.node.Node;
import io.burt.jmespath.node.NodeFactory;
import io.burt.jmespath.node.Operator;
import io.burt.jmespath.node.StringNode;
import java.util.List;

/**
 * Builds expression nodes as the library does, and checks literal arguments of MedTech's custom
 * functions while the expression compiles: {@code add('1', `2`)} is a mapping error reported at
 * load, not a data error on every event.
 */
final class LiteralCheckingNodeFactory implements NodeFactory<JsonNode> {
  private final NodeFactory<JsonNode> delegate;
  private final io.burt.jmespath.function.FunctionRegistry functions;

  LiteralCheckingNodeFactory(
      NodeFactory<JsonNode> delegate, io.burt.jmespath.function.FunctionRegistry functions) {
    this.delegate = delegate;
    this.functions = functions;
  }

  @Override
  public Node<JsonNode> createFunctionCall(String name, List<? extends Expression<JsonNode>> args) {
    Function function = functions.getFunction(name);
    if (function != null) {
      checkLiterals(function, args);
    }
    return delegate.createFunctionCall(name, args);
  }

  @Override
  public Node<JsonNode> createFunctionCall(
      Function function, List<? extends Expression<JsonNode>> args) {
    checkLiterals(function, args);
    return delegate.createFunctionCall(function, args);
  }

  private static void checkLiterals(Function function, List<? extends Expression<JsonNode>> args) {
    if (!(function instanceof MedTechFunctions.MedTechFunction medTech)) {
      return;
    }
    for (int i = 0; i < args.size(); i++) {
      Expression<JsonNode> arg = args.get(i);
      if (arg instanceof JsonLiteralNode || arg instanceof StringNode) {
        medTech.check(i, arg.search(NullNode.instance));
      }
    }
  }

  @Override
  public Node<JsonNode> createCurrent() {
    return delegate.createCurrent();
  }

  @Override
  public Node<JsonNode> createProperty(String name) {
    return delegate.createProperty(name);
  }

  @Override
  public Node<JsonNode> createIndex(int index) {
    return delegate.createIndex(index);
  }

  @Override
  public Node<JsonNode> createSlice(Integer start, Integer stop, Integer step) {
    return delegate.createSlice(start, stop, step);
  }

  @Override
  public Node<JsonNode> createProjection(Expression<JsonNode> expression) {
    return delegate.createProjection(expression);
  }

  @Override
  public Node<JsonNode> createFlattenArray() {
    return delegate.createFlattenArray();
  }

  @Override
  public Node<JsonNode> createFlattenObject() {
    return delegate.createFlattenObject();
  }

  @Override
  public Node<JsonNode> createSelection(Expression<JsonNode> test) {
    return delegate.createSelection(test);
  }

  @Override
  public Node<JsonNode> createComparison(
      Operator operator, Expression<JsonNode> left, Expression<JsonNode> right) {
    return delegate.createComparison(operator, left, right);
  }

  @Override
  public Node<JsonNode> createOr(Expression<JsonNode> left, Expression<JsonNode> right) {
    return delegate.createOr(left, right);
  }

  @Override
  public Node<JsonNode> createAnd(Expression<JsonNode> left, Expression<JsonNode> right) {
    return delegate.createAnd(left, right);
  }

  @Override
  public Node<JsonNode> createExpressionReference(Expression<JsonNode> expression) {
    return delegate.createExpressionReference(expression);
  }

  @Override
  public Node<JsonNode> createString(String str) {
    return delegate.createString(str);
  }

  @Override
  public Node<JsonNode> createNegate(Expression<JsonNode> negated) {
    return delegate.createNegate(negated);
  }

  @Override
  public Node<JsonNode> createCreateObject(List<CreateObjectNode.Entry<JsonNode>> entries) {
    return delegate.createCreateObject(entries);
  }

  @Override
  public Node<JsonNode> createCreateArray(List<? extends Expression<JsonNode>> entries) {
    return delegate.createCreateArray(entries);
  }

  @Override
  public Node<JsonNode> createJsonLiteral(String json) {
    return delegate.createJsonLiteral(json);
  }

  @Override
  public Node<JsonNode> createSequence(List<Node<JsonNode>> nodes) {
    return delegate.createSequence(nodes);
  }
}
