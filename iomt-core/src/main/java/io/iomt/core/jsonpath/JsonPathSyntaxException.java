package io.iomt.core.jsonpath;

/** A JSONPath expression that does not parse; {@link #position()} is the 0-based offset. */
public final class JsonPathSyntaxException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final int position;
  private final String reason;

  JsonPathSyntaxException(String expression, int position, String reason) {
    super(reason + " at position " + position + " of '" + expression + "'");
    this.position = position;
    this.reason = reason;
  }

  public int position() {
    return position;
  }

  /** The reason alone, without the expression. */
  public String reason() {
    return reason;
  }
}
