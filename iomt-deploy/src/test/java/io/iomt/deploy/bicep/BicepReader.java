package io.iomt.deploy.bicep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the subset of Bicep the templates in {@code deploy/azure} use, well enough for structural
 * checks: top-level {@code param}, {@code var}, {@code resource} (with {@code existing}, {@code if
 * (...)} bodies), {@code module}, {@code output} and {@code targetScope}, decorators, and values
 * made of objects, arrays, {@code for} loops, calls and tokens. It is no Bicep compiler: it does
 * not type-check, and it refuses what it does not know ({@code type}, {@code func}, {@code import},
 * nested resources) rather than guess. Stateless.
 */
public final class BicepReader {
  private static final Set<String> KEYWORDS =
      Set.of("true", "false", "null", "if", "for", "in", "existing");

  private BicepReader() {}

  public static BicepFile read(Path path) {
    try {
      return read(path, Files.readString(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static BicepFile read(Path path, String source) {
    return new Parser(path.toString(), new BicepLexer(path.toString(), source).lex()).file(path);
  }

  /** An interpolation's tokens as one expression. */
  static Node interpolation(String source, List<Token> tokens) {
    return new Parser(source, tokens).interpolation();
  }

  /**
   * Every identifier used in an expression of the file that is neither declared there (param, var,
   * resource, module), nor a loop or lambda variable in scope, nor a function or property name; as
   * {@code line N: 'name'}.
   */
  public static List<String> undeclaredIdentifiers(BicepFile file) {
    Set<String> declared = file.symbols().keySet();
    List<String> problems = new ArrayList<>();
    Walker w = new Walker(declared, problems, file.path().toString());
    file.params().forEach(p -> p.defaultValue().ifPresent(d -> w.walk(d, Set.of())));
    file.vars().values().forEach(v -> w.walk(v, Set.of()));
    file.resources().forEach(r -> w.walk(r.value(), Set.of()));
    file.modules().forEach(m -> w.walk(m.value(), Set.of()));
    file.outputs().forEach(o -> w.walk(o.value(), Set.of()));
    return problems;
  }

  /** Finds undeclared identifiers in values. */
  private record Walker(Set<String> declared, List<String> problems, String source) {
    void walk(Node n, Set<String> locals) {
      if (n instanceof Node.Obj o) {
        o.keyTokens().forEach(k -> token(k, locals));
        o.entries().values().forEach(v -> walk(v, locals));
      } else if (n instanceof Node.Arr a) {
        a.elements().forEach(e -> walk(e, locals));
      } else if (n instanceof Node.Group g) {
        g.elements().forEach(e -> walk(e, locals));
      } else if (n instanceof Node.For f) {
        walk(f.source(), locals);
        Set<String> inner = new HashSet<>(locals);
        inner.addAll(f.variables());
        walk(f.body(), inner);
      } else {
        expr(((Node.Expr) n).items(), locals);
      }
    }

    private void expr(List<Object> items, Set<String> outer) {
      Set<String> locals = new HashSet<>(outer);
      for (int i = 0; i < items.size(); i++) {
        Object item = items.get(i);
        Object prev = i > 0 ? items.get(i - 1) : null;
        Object next = i + 1 < items.size() ? items.get(i + 1) : null;
        if (item instanceof Node node) {
          walk(node, locals);
        } else if (item instanceof Token t && t.kind() == Token.Kind.STRING) {
          token(t, locals);
        } else if (item instanceof Token t && t.kind() == Token.Kind.IDENT) {
          boolean property =
              prev instanceof Token p && (p.isSymbol(".") || p.isSymbol(".?") || p.isSymbol("::"));
          boolean call = next instanceof Node.Group;
          boolean namespace =
              next instanceof Token nt
                  && nt.isSymbol(".")
                  && (t.text().equals("az") || t.text().equals("sys"));
          if (next instanceof Token nt && nt.isSymbol("=>")) {
            locals.add(t.text());
          } else if (!property
              && !call
              && !namespace
              && !KEYWORDS.contains(t.text())
              && !declared.contains(t.text())
              && !locals.contains(t.text())) {
            problems.add(source + ":" + t.line() + ": '" + t.text() + "' is not declared");
          }
        }
      }
    }

    private void token(Token t, Set<String> locals) {
      for (List<Token> inner : t.interpolations()) {
        walk(interpolation(source, inner), locals);
      }
    }
  }

  /** Recursive descent over the tokens of one file (or of one interpolation). */
  private static final class Parser {
    private final String source;
    private final List<Token> t;
    private int p;

    Parser(String source, List<Token> tokens) {
      this.source = source;
      this.t = tokens;
    }

    BicepFile file(Path path) {
      List<BicepFile.Param> params = new ArrayList<>();
      Map<String, Node> vars = new LinkedHashMap<>();
      List<BicepFile.Resource> resources = new ArrayList<>();
      List<BicepFile.Module> modules = new ArrayList<>();
      List<BicepFile.Output> outputs = new ArrayList<>();
      Map<String, Node.Group> decorators = new LinkedHashMap<>();
      while (true) {
        newlines();
        if (p >= t.size()) {
          break;
        }
        Token k = next();
        int line = k.line();
        if (k.isSymbol("@")) {
          String name = ident();
          if (name.equals("sys") && peekSymbol(".")) {
            p++;
            name = ident();
          }
          expect("(");
          decorators.put(name, group());
          continue;
        }
        if (k.kind() != Token.Kind.IDENT) {
          throw error(k, "a statement cannot start with '" + k.text() + "'");
        }
        BicepFile.Decorators decorated = new BicepFile.Decorators(Map.copyOf(decorators));
        decorators.clear();
        switch (k.text()) {
          case "targetScope" -> {
            expect("=");
            value();
          }
          case "param" -> {
            String name = ident();
            String type = typeText();
            Optional<Node> dflt = Optional.empty();
            if (peekSymbol("=")) {
              p++;
              dflt = Optional.of(value());
            }
            params.add(new BicepFile.Param(name, type, dflt, decorated, line));
          }
          case "var" -> {
            String name = ident();
            expect("=");
            vars.put(name, value());
          }
          case "resource" -> {
            String symbol = ident();
            Token type = string();
            String[] typeAndApi = type.text().split("@", 2);
            if (typeAndApi.length != 2) {
              throw error(type, "resource type '" + type.text() + "' has no @api-version");
            }
            boolean existing = false;
            if (p < t.size() && t.get(p).is(Token.Kind.IDENT, "existing")) {
              p++;
              existing = true;
            }
            expect("=");
            resources.add(
                new BicepFile.Resource(
                    symbol, typeAndApi[0], typeAndApi[1], existing, value(), line));
          }
          case "module" -> {
            String symbol = ident();
            String modulePath = string().text();
            expect("=");
            modules.add(new BicepFile.Module(symbol, modulePath, value(), line));
          }
          case "output" -> {
            String name = ident();
            String type = typeText();
            expect("=");
            outputs.add(new BicepFile.Output(name, type, value(), decorated, line));
          }
          default -> throw error(k, "unsupported statement '" + k.text() + "'");
        }
        if (p < t.size() && t.get(p).kind() != Token.Kind.NEWLINE) {
          throw error(t.get(p), "'" + t.get(p).text() + "' after the end of a statement");
        }
      }
      return new BicepFile(
          path,
          List.copyOf(params),
          Map.copyOf(vars),
          List.copyOf(resources),
          List.copyOf(modules),
          List.copyOf(outputs));
    }

    /** The whole token list of an interpolation, as one expression. */
    Node interpolation() {
      Node n = expr(Set.of(), false);
      if (p < t.size()) {
        throw error(t.get(p), "unexpected '" + t.get(p).text() + "' in an interpolation");
      }
      return n;
    }

    private Node value() {
      return expr(Set.of(), true);
    }

    /**
     * An expression up to a closer (not consumed), or a line break when {@code newlineEnds}; a lone
     * object, array or loop is returned as itself.
     */
    private Node expr(Set<String> closers, boolean newlineEnds) {
      List<Object> items = new ArrayList<>();
      while (p < t.size()) {
        Token k = t.get(p);
        if (k.kind() == Token.Kind.NEWLINE) {
          if (newlineEnds) {
            break;
          }
          p++;
        } else if (k.kind() == Token.Kind.SYMBOL && closers.contains(k.text())) {
          break;
        } else if (k.isSymbol("{")) {
          p++;
          items.add(object());
        } else if (k.isSymbol("[")) {
          p++;
          items.add(array());
        } else if (k.isSymbol("(")) {
          p++;
          items.add(group());
        } else if (k.isSymbol("}") || k.isSymbol("]") || k.isSymbol(")")) {
          break;
        } else {
          items.add(k);
          p++;
        }
      }
      if (items.isEmpty()) {
        throw error(p < t.size() ? t.get(p) : t.get(t.size() - 1), "a value is missing");
      }
      return items.size() == 1 && items.get(0) instanceof Node n ? n : new Node.Expr(items);
    }

    private Node.Obj object() {
      Map<String, Node> entries = new LinkedHashMap<>();
      List<Token> keys = new ArrayList<>();
      while (true) {
        separators();
        Token k = next();
        if (k.isSymbol("}")) {
          return new Node.Obj(entries, keys);
        }
        if (k.kind() != Token.Kind.IDENT && k.kind() != Token.Kind.STRING) {
          throw error(k, "an object key expected, not '" + k.text() + "'");
        }
        if (k.is(Token.Kind.IDENT, "resource")) {
          throw error(k, "nested resource declarations are not supported by this reader");
        }
        expect(":");
        if (entries.put(k.text(), expr(Set.of("}", ","), true)) != null) {
          throw error(k, "duplicate key '" + k.text() + "'");
        }
        keys.add(k);
      }
    }

    private Node array() {
      separators();
      if (p < t.size() && t.get(p).is(Token.Kind.IDENT, "for")) {
        p++;
        List<String> variables = new ArrayList<>();
        if (peekSymbol("(")) {
          p++;
          variables.add(ident());
          expect(",");
          variables.add(ident());
          expect(")");
        } else {
          variables.add(ident());
        }
        Token in = next();
        if (!in.is(Token.Kind.IDENT, "in")) {
          throw error(in, "'in' expected in a for loop");
        }
        Node source = expr(Set.of(":"), false);
        expect(":");
        Node body = expr(Set.of("]"), false);
        expect("]");
        return new Node.For(List.copyOf(variables), source, body);
      }
      List<Node> elements = new ArrayList<>();
      while (true) {
        separators();
        if (peekSymbol("]")) {
          p++;
          return new Node.Arr(elements);
        }
        elements.add(expr(Set.of("]", ","), true));
      }
    }

    private Node.Group group() {
      List<Node> elements = new ArrayList<>();
      while (true) {
        separators();
        if (peekSymbol(")")) {
          p++;
          return new Node.Group(elements);
        }
        elements.add(expr(Set.of(")", ","), false));
      }
    }

    /** A param's or output's type: the tokens up to '=' or the end of the line. */
    private String typeText() {
      StringBuilder b = new StringBuilder();
      while (p < t.size() && t.get(p).kind() != Token.Kind.NEWLINE && !peekSymbol("=")) {
        Token k = t.get(p++);
        b.append(k.kind() == Token.Kind.STRING ? "'" + k.text() + "'" : k.text());
      }
      if (b.isEmpty()) {
        throw error(t.get(Math.max(0, p - 1)), "a type is missing");
      }
      return b.toString();
    }

    private void separators() {
      while (p < t.size() && (t.get(p).kind() == Token.Kind.NEWLINE || peekSymbol(","))) {
        p++;
      }
    }

    private void newlines() {
      while (p < t.size() && t.get(p).kind() == Token.Kind.NEWLINE) {
        p++;
      }
    }

    private boolean peekSymbol(String s) {
      return p < t.size() && t.get(p).isSymbol(s);
    }

    private Token next() {
      if (p >= t.size()) {
        throw new BicepSyntaxException(
            source, t.isEmpty() ? 1 : t.get(t.size() - 1).line(), "unexpected end of file");
      }
      return t.get(p++);
    }

    private String ident() {
      Token k = next();
      if (k.kind() != Token.Kind.IDENT) {
        throw error(k, "a name expected, not '" + k.text() + "'");
      }
      return k.text();
    }

    private Token string() {
      Token k = next();
      if (k.kind() != Token.Kind.STRING || !k.interpolations().isEmpty()) {
        throw error(k, "a plain string expected, not '" + k.text() + "'");
      }
      return k;
    }

    private void expect(String symbol) {
      Token k = next();
      if (!k.isSymbol(symbol)) {
        throw error(k, "'" + symbol + "' expected, not '" + k.text() + "'");
      }
    }

    private BicepSyntaxException error(Token at, String message) {
      return new BicepSyntaxException(source, at.line(), message);
    }
  }
}
