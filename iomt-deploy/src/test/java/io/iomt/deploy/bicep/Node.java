package io.iomt.deploy.bicep;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A value of a Bicep file, as far as the structural checks need it. Immutable. */
public sealed interface Node {
  /**
   * An object literal. Keys are as written (a quoted key with its interpolations as {@code ${}});
   * {@code keyTokens} holds each key's token, for the interpolations in it.
   */
  record Obj(Map<String, Node> entries, List<Token> keyTokens) implements Node {
    /** The value at a dotted path of keys, e.g. {@code properties.disableLocalAuth}. */
    public Optional<Node> at(String path) {
      Node n = this;
      for (String key : path.split("\\.")) {
        if (!(n instanceof Obj o) || !o.entries.containsKey(key)) {
          return Optional.empty();
        }
        n = o.entries.get(key);
      }
      return Optional.of(n);
    }
  }

  /** An array literal (also an index, {@code x[0]}: then its one element). */
  record Arr(List<Node> elements) implements Node {}

  /** A {@code [for v in source: body]} or {@code [for (v, i) in source: body]} loop. */
  record For(List<String> variables, Node source, Node body) implements Node {}

  /** Parenthesized, comma-separated expressions: a call's arguments or a grouping. */
  record Group(List<Node> elements) implements Node {}

  /**
   * Any other expression: tokens, with brackets nested as nodes ({@code f(a)} is the token {@code
   * f} then a {@link Group}).
   */
  record Expr(List<Object> items) implements Node {
    /** The one token of a plain reference or literal, if this is one. */
    public Optional<Token> single() {
      return items.size() == 1 && items.get(0) instanceof Token t
          ? Optional.of(t)
          : Optional.empty();
    }

    /** The text of the tokens, brackets shown as {@code (..)}, {@code [..]}, {@code {..}}. */
    public String text() {
      StringBuilder b = new StringBuilder();
      for (Object i : items) {
        b.append(
            i instanceof Token t
                ? (t.kind() == Token.Kind.STRING ? "'" + t.text() + "'" : t.text())
                : i instanceof Group ? "(..)" : i instanceof Obj ? "{..}" : "[..]");
      }
      return b.toString();
    }
  }
}
