package io.iomt.deploy.bicep;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Splits Bicep source into tokens: identifiers, numbers, symbols, line breaks, and strings (single
 * quoted with escapes and {@code ${...}} interpolations, lexed recursively; or multi-line {@code
 * '''...'''}, taken verbatim). Comments are dropped. Every bracket must close with its match, and
 * every string and comment must end: otherwise a {@link BicepSyntaxException} names the line.
 * Single use, not thread-safe.
 */
final class BicepLexer {
  private static final List<String> TWO_CHAR =
      List.of("==", "!=", "<=", ">=", "&&", "||", "??", "=>", "::", ".?");

  private final String source;
  private final String src;
  private int pos;
  private int line = 1;

  BicepLexer(String source, String src) {
    this.source = source;
    this.src = src;
  }

  List<Token> lex() {
    List<Token> tokens = tokens(false);
    if (pos < src.length()) {
      throw error("unexpected '" + src.charAt(pos) + "'");
    }
    return tokens;
  }

  /** Tokens up to the end, or (in an interpolation) up to its unmatched closing brace. */
  private List<Token> tokens(boolean interpolation) {
    List<Token> out = new ArrayList<>();
    Deque<Token> open = new ArrayDeque<>();
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\r') {
        pos++;
      } else if (c == '\n') {
        if (out.isEmpty() || out.get(out.size() - 1).kind() != Token.Kind.NEWLINE) {
          out.add(new Token(Token.Kind.NEWLINE, "\n", line, List.of()));
        }
        line++;
        pos++;
      } else if (src.startsWith("//", pos)) {
        while (pos < src.length() && src.charAt(pos) != '\n') {
          pos++;
        }
      } else if (src.startsWith("/*", pos)) {
        int end = src.indexOf("*/", pos + 2);
        if (end < 0) {
          throw error("unterminated comment");
        }
        countLines(pos, end + 2);
        pos = end + 2;
      } else if (src.startsWith("'''", pos)) {
        int end = src.indexOf("'''", pos + 3);
        if (end < 0) {
          throw error("unterminated multi-line string");
        }
        out.add(new Token(Token.Kind.STRING, src.substring(pos + 3, end), line, List.of()));
        countLines(pos, end + 3);
        pos = end + 3;
      } else if (c == '\'') {
        out.add(string());
      } else if (Character.isDigit(c)) {
        int start = pos;
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
          pos++;
        }
        out.add(new Token(Token.Kind.NUMBER, src.substring(start, pos), line, List.of()));
      } else if (Character.isLetter(c) || c == '_') {
        int start = pos;
        while (pos < src.length()
            && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
          pos++;
        }
        out.add(new Token(Token.Kind.IDENT, src.substring(start, pos), line, List.of()));
      } else if ("{[(".indexOf(c) >= 0) {
        Token t = symbol(String.valueOf(c));
        open.push(t);
        out.add(t);
      } else if ("}])".indexOf(c) >= 0) {
        if (open.isEmpty()) {
          if (interpolation && c == '}') {
            pos++;
            return out;
          }
          throw error("'" + c + "' closes nothing");
        }
        Token opener = open.pop();
        if ("{[(".indexOf(opener.text().charAt(0)) != "}])".indexOf(c)) {
          throw error("'" + c + "' closes '" + opener.text() + "' of line " + opener.line());
        }
        out.add(symbol(String.valueOf(c)));
      } else {
        String two = pos + 1 < src.length() ? src.substring(pos, pos + 2) : "";
        if (TWO_CHAR.contains(two)) {
          out.add(symbol(two));
        } else if (":,.?=!<>+-*/%@|".indexOf(c) >= 0) {
          out.add(symbol(String.valueOf(c)));
        } else {
          throw error("unexpected '" + c + "'");
        }
      }
    }
    if (!open.isEmpty()) {
      throw new BicepSyntaxException(
          source, open.peek().line(), "'" + open.peek().text() + "' is never closed");
    }
    if (interpolation) {
      throw error("unterminated interpolation '${'");
    }
    return out;
  }

  private Token symbol(String s) {
    pos += s.length();
    return new Token(Token.Kind.SYMBOL, s, line, List.of());
  }

  /** A single-quoted string from the opening quote on. */
  private Token string() {
    int startLine = line;
    pos++;
    StringBuilder text = new StringBuilder();
    List<List<Token>> interpolations = new ArrayList<>();
    while (true) {
      if (pos >= src.length() || src.charAt(pos) == '\n') {
        throw new BicepSyntaxException(source, startLine, "unterminated string");
      }
      char c = src.charAt(pos);
      if (c == '\'') {
        pos++;
        return new Token(
            Token.Kind.STRING, text.toString(), startLine, List.copyOf(interpolations));
      } else if (c == '\\') {
        if (pos + 1 >= src.length()) {
          throw error("unterminated string");
        }
        char e = src.charAt(pos + 1);
        switch (e) {
          case '\'', '\\', '$' -> text.append(e);
          case 'n' -> text.append('\n');
          case 'r' -> text.append('\r');
          case 't' -> text.append('\t');
          default -> throw error("unknown escape '\\" + e + "'");
        }
        pos += 2;
      } else if (src.startsWith("${", pos)) {
        pos += 2;
        List<Token> inner = tokens(true);
        if (inner.isEmpty()) {
          throw error("empty interpolation");
        }
        interpolations.add(inner);
        text.append("${}");
      } else {
        text.append(c);
        pos++;
      }
    }
  }

  private void countLines(int from, int to) {
    for (int i = from; i < to; i++) {
      if (src.charAt(i) == '\n') {
        line++;
      }
    }
  }

  private BicepSyntaxException error(String message) {
    return new BicepSyntaxException(source, line, message);
  }
}
