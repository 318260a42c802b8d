package io.iomt.core.jsonpath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.iomt.core.jsonpath.FilterExpression.Operand;
import io.iomt.core.jsonpath.FilterExpression.Operator;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Recursive-descent parser of the Newtonsoft.Json JSONPath dialect. One instance per expression.
 */
final class PathParser {
  /** Bounds recursion on hostile expressions such as ten thousand nested parentheses. */
  private static final int MAX_NESTING = 64;

  private static final int MAX_LENGTH = 4096;

  private final String s;
  private int pos;
  private int nesting;

  PathParser(String expression) {
    this.s = expression;
  }

  JsonPath parsePath() {
    if (s.length() > MAX_LENGTH) {
      throw error("Expression longer than " + MAX_LENGTH + " characters");
    }
    skipSpaces();
    if (pos == s.length()) {
      throw error("Empty expression");
    }
    if (peek() == '$') {
      pos++;
    }
    List<Segment> segments = segments(false, true);
    skipSpaces();
    if (pos != s.length()) {
      throw error("Unexpected character '" + s.charAt(pos) + "'");
    }
    return new JsonPath(s, segments.toArray(Segment[]::new));
  }

  /**
   * Parses steps until the end of the path. {@code bareNameFirst}: a leading name without a dot is
   * allowed ({@code Body.x} at the top level, {@code @prop} in filters).
   */
  private List<Segment> segments(boolean inFilter, boolean bareNameFirst) {
    List<Segment> out = new ArrayList<>();
    boolean first = bareNameFirst;
    while (pos < s.length()) {
      char c = s.charAt(pos);
      if (c == '.') {
        if (pos + 1 < s.length() && s.charAt(pos + 1) == '.') {
          pos += 2;
          out.add(scan());
        } else {
          pos++;
          out.add(dotted());
        }
      } else if (c == '[') {
        out.add(bracket(false));
      } else if (first && isNameChar(c, inFilter)) {
        out.add(new Segment.Field(name(inFilter)));
      } else if (first && c == '*') {
        pos++;
        out.add(new Segment.Wildcard());
      } else {
        break;
      }
      first = false;
    }
    return out;
  }

  private Segment dotted() {
    if (pos < s.length() && s.charAt(pos) == '*') {
      pos++;
      return new Segment.Wildcard();
    }
    if (pos < s.length() && s.charAt(pos) == '[') {
      return bracket(false);
    }
    return new Segment.Field(name(false));
  }

  private Segment scan() {
    if (pos < s.length() && s.charAt(pos) == '*') {
      pos++;
      return new Segment.Descendants(true);
    }
    if (pos < s.length() && s.charAt(pos) == '[') {
      return bracket(true);
    }
    return new Segment.ScanField(name(false));
  }

  private String name(boolean inFilter) {
    int start = pos;
    while (pos < s.length() && isNameChar(s.charAt(pos), inFilter)) {
      pos++;
    }
    if (pos == start) {
      throw error(pos < s.length() ? "Expected a property name" : "Path ends after '.'");
    }
    return s.substring(start, pos);
  }

  private static boolean isNameChar(char c, boolean inFilter) {
    switch (c) {
      case '.', '[', ']', '(', ')', ' ', '\t', '\r', '\n', '\'', '"', ',', '$', '@', '?', '*':
        return false;
      case '=', '!', '<', '>', '&', '|':
        return !inFilter;
      default:
        return true;
    }
  }

  private Segment bracket(boolean scan) {
    int open = pos;
    pos++; // '['
    skipSpaces();
    Segment inner;
    if (pos >= s.length()) {
      throw error("Unclosed '['", open);
    }
    char c = s.charAt(pos);
    if (c == '?') {
      pos++;
      skipSpaces();
      boolean parens = pos < s.length() && s.charAt(pos) == '(';
      if (parens) {
        pos++;
      }
      FilterExpression expression = orExpression();
      skipSpaces();
      if (parens) {
        expect(')');
        skipSpaces();
      }
      expect(']');
      return scan ? new Segment.ScanFilter(expression) : new Segment.Filter(expression);
    }
    if (c == '\'' || c == '"') {
      List<String> names = new ArrayList<>();
      names.add(quoted());
      skipSpaces();
      while (pos < s.length() && s.charAt(pos) == ',') {
        pos++;
        skipSpaces();
        names.add(quoted());
        skipSpaces();
      }
      expect(']');
      if (scan && names.size() == 1) {
        return new Segment.ScanField(names.get(0));
      }
      inner =
          names.size() == 1
              ? new Segment.Field(names.get(0))
              : new Segment.Fields(names.toArray(String[]::new));
    } else if (c == '*') {
      pos++;
      skipSpaces();
      expect(']');
      inner = new Segment.Wildcard();
      return scan ? new Segment.Descendants(false) : inner;
    } else {
      inner = indexesOrSlice();
    }
    return scan ? new Segment.Then(new Segment.Descendants(true), inner) : inner;
  }

  private Segment indexesOrSlice() {
    Integer first = optionalInt();
    skipSpaces();
    if (pos < s.length() && s.charAt(pos) == ':') {
      pos++;
      skipSpaces();
      Integer end = optionalInt();
      skipSpaces();
      int step = 1;
      if (pos < s.length() && s.charAt(pos) == ':') {
        pos++;
        skipSpaces();
        Integer st = optionalInt();
        step = st == null ? 1 : st;
        if (step == 0) {
          throw error("Slice step cannot be 0");
        }
        skipSpaces();
      }
      expect(']');
      return new Segment.Slice(first, end, step);
    }
    if (first == null) {
      throw error("Expected an index, a slice, '*', a quoted name or a filter '?(...)'");
    }
    List<Integer> indexes = new ArrayList<>(List.of(first));
    while (pos < s.length() && s.charAt(pos) == ',') {
      pos++;
      skipSpaces();
      Integer next = optionalInt();
      if (next == null) {
        throw error("Expected an index");
      }
      indexes.add(next);
      skipSpaces();
    }
    expect(']');
    return new Segment.Indexes(indexes.stream().mapToInt(Integer::intValue).toArray());
  }

  private Integer optionalInt() {
    int start = pos;
    if (pos < s.length() && s.charAt(pos) == '-') {
      pos++;
    }
    while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
      pos++;
    }
    if (pos == start || (pos == start + 1 && s.charAt(start) == '-')) {
      pos = start;
      return null;
    }
    try {
      return Integer.parseInt(s.substring(start, pos));
    } catch (NumberFormatException e) {
      throw error("Index out of range", start);
    }
  }

  private String quoted() {
    if (pos >= s.length() || (s.charAt(pos) != '\'' && s.charAt(pos) != '"')) {
      throw error("Expected a quoted name");
    }
    char quote = s.charAt(pos);
    int open = pos++;
    StringBuilder b = new StringBuilder();
    while (pos < s.length()) {
      char c = s.charAt(pos++);
      if (c == quote) {
        return b.toString();
      }
      if (c == '\\' && pos < s.length()) {
        char e = s.charAt(pos++);
        switch (e) {
          case 'n' -> b.append('\n');
          case 't' -> b.append('\t');
          case 'r' -> b.append('\r');
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'u' -> {
            if (pos + 4 > s.length()) {
              throw error("Incomplete \\u escape");
            }
            try {
              b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
            } catch (NumberFormatException ex) {
              throw error("Invalid \\u escape");
            }
            pos += 4;
          }
          default -> b.append(e);
        }
      } else {
        b.append(c);
      }
    }
    throw error("Unclosed string", open);
  }

  // --- filter expressions -------------------------------------------------------------------

  private FilterExpression orExpression() {
    FilterExpression left = andExpression();
    while (consume("||")) {
      left = new FilterExpression.Or(left, andExpression());
    }
    return left;
  }

  private FilterExpression andExpression() {
    FilterExpression left = atom();
    while (consume("&&")) {
      left = new FilterExpression.And(left, atom());
    }
    return left;
  }

  private FilterExpression atom() {
    skipSpaces();
    if (pos < s.length() && s.charAt(pos) == '(') {
      if (++nesting > MAX_NESTING) {
        throw error("Filter nested deeper than " + MAX_NESTING + " levels");
      }
      pos++;
      FilterExpression inner = orExpression();
      skipSpaces();
      expect(')');
      nesting--;
      return inner;
    }
    int start = pos;
    Operand left = operand();
    Operator op = operator();
    if (op == null) {
      if (!(left instanceof FilterExpression.PathOperand)) {
        throw error("A constant alone is not a condition; compare it with a path", start);
      }
      return new FilterExpression.Exists(left);
    }
    Operand right = operand();
    if (op == Operator.REGEX && !(right instanceof FilterExpression.RegexConstant)) {
      throw error("'=~' needs a regular expression /.../ on its right");
    }
    return new FilterExpression.Compare(left, op, right);
  }

  private Operator operator() {
    skipSpaces();
    for (String symbol : new String[] {"===", "!==", "==", "!=", "<=", ">=", "=~", "<", ">"}) {
      if (s.startsWith(symbol, pos)) {
        pos += symbol.length();
        for (Operator op : Operator.values()) {
          if (op.symbol.equals(symbol)) {
            return op;
          }
        }
      }
    }
    return null;
  }

  private Operand operand() {
    skipSpaces();
    if (pos >= s.length()) {
      throw error("Filter ends early; expected a path or a value");
    }
    char c = s.charAt(pos);
    if (c == '@' || c == '$') {
      pos++;
      return new FilterExpression.PathOperand(
          c == '$', segments(true, c == '@').toArray(Segment[]::new));
    }
    if (c == '\'' || c == '"') {
      return new FilterExpression.Constant(TextNode.valueOf(quoted()));
    }
    if (c == '/') {
      return regex();
    }
    if (c == '-' || Character.isDigit(c)) {
      return new FilterExpression.Constant(number());
    }
    for (String word : new String[] {"true", "false", "null"}) {
      if (s.startsWith(word, pos)) {
        pos += word.length();
        JsonNode value =
            switch (word) {
              case "true" -> BooleanNode.TRUE;
              case "false" -> BooleanNode.FALSE;
              default -> NullNode.instance;
            };
        return new FilterExpression.Constant(value);
      }
    }
    throw error("Expected '@', '$', a quoted string, a number, true, false or null");
  }

  private JsonNode number() {
    int start = pos;
    if (s.charAt(pos) == '-') {
      pos++;
    }
    while (pos < s.length() && "0123456789.eE+-".indexOf(s.charAt(pos)) >= 0) {
      pos++;
    }
    String text = s.substring(start, pos);
    try {
      BigDecimal d = new BigDecimal(text);
      if (text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0) {
        long v = d.longValueExact();
        return v == (int) v ? IntNode.valueOf((int) v) : LongNode.valueOf(v);
      }
      return DoubleNode.valueOf(d.doubleValue());
    } catch (NumberFormatException | ArithmeticException e) {
      throw error("Invalid number '" + text + "'", start);
    }
  }

  private Operand regex() {
    int open = pos++;
    StringBuilder b = new StringBuilder();
    while (pos < s.length() && s.charAt(pos) != '/') {
      char c = s.charAt(pos++);
      if (c == '\\' && pos < s.length() && s.charAt(pos) == '/') {
        c = s.charAt(pos++);
      } else if (c == '\\' && pos < s.length()) {
        b.append(c);
        c = s.charAt(pos++);
      }
      b.append(c);
    }
    if (pos >= s.length()) {
      throw error("Unclosed regular expression", open);
    }
    pos++;
    int flags = 0;
    while (pos < s.length() && Character.isLetter(s.charAt(pos))) {
      switch (s.charAt(pos++)) {
        case 'i' -> flags |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
        case 'm' -> flags |= Pattern.MULTILINE;
        case 's' -> flags |= Pattern.DOTALL;
        case 'x' -> flags |= Pattern.COMMENTS;
        default -> throw error("Unknown regular expression flag", pos - 1);
      }
    }
    try {
      return new FilterExpression.RegexConstant(
          TextNode.valueOf(b.toString()), Pattern.compile(b.toString(), flags));
    } catch (PatternSyntaxException e) {
      throw error("Invalid regular expression: " + e.getDescription(), open);
    }
  }

  // --- helpers ------------------------------------------------------------------------------

  private boolean consume(String token) {
    skipSpaces();
    if (s.startsWith(token, pos)) {
      pos += token.length();
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (pos >= s.length()) {
      throw error("Expected '" + c + "' but the expression ended");
    }
    if (s.charAt(pos) != c) {
      throw error("Expected '" + c + "' but found '" + s.charAt(pos) + "'");
    }
    pos++;
  }

  private char peek() {
    return s.charAt(pos);
  }

  private void skipSpaces() {
    while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
      pos++;
    }
  }

  private JsonPathSyntaxException error(String reason) {
    return error(reason, pos);
  }

  private JsonPathSyntaxException error(String reason, int at) {
    return new JsonPathSyntaxException(s, at, reason);
  }
}
