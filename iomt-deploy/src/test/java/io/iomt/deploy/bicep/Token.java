package io.iomt.deploy.bicep;

import java.util.List;

/**
 * A token of a Bicep file. A string's {@code text} is its literal text with each interpolation
 * written as {@code ${}}, and its interpolations' tokens are in {@code interpolations}, in order.
 */
public record Token(Kind kind, String text, int line, List<List<Token>> interpolations) {
  /** What a token is. Comments and spaces make none; line breaks do (they end statements). */
  public enum Kind {
    IDENT,
    STRING,
    NUMBER,
    SYMBOL,
    NEWLINE
  }

  boolean is(Kind k, String t) {
    return kind == k && text.equals(t);
  }

  boolean isSymbol(String t) {
    return is(Kind.SYMBOL, t);
  }
}
