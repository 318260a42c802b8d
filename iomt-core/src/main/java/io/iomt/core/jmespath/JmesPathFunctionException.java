package io.iomt.core.jmespath;

/**
 * A custom function could not be applied to its arguments: a wrong type, integer division by zero,
 * an overflow, a position out of range. The message names the function and the argument.
 */
public final class JmesPathFunctionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  JmesPathFunctionException(String function, String message) {
    super(function + ": " + message);
  }
}
