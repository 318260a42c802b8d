package io.iomt.core.jmespath;

import java.util.List;

/** A JMESPath expression that does not compile: a syntax error, unknown function or wrong arity. */
public final class JmesPathSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient List<String> problems;

  JmesPathSyntaxException(String expression, List<String> problems) {
    super(String.join("; ", problems) + " in '" + expression + "'");
    this.problems = List.copyOf(problems);
  }

  /** Each problem the parser reported, without the expression. */
  public List<String> problems() {
    return problems;
  }
}
