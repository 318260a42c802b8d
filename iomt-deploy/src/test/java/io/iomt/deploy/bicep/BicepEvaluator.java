package io.iomt.deploy.bicep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates what can be known of a file's values before deployment: literals, string
 * interpolations, params (their defaults, or what a module call passed), vars, {@code !}, {@code
 * toUpper}, {@code toLower}, {@code string} and {@code empty}. Anything that depends on a deployed
 * resource (a property, a module output, {@code resourceGroup()}) is unknown: {@link
 * Optional#empty()}. Immutable.
 */
public final class BicepEvaluator {
  private final BicepFile file;
  private final Map<String, Optional<Object>> passed;

  private BicepEvaluator(BicepFile file, Map<String, Optional<Object>> passed) {
    this.file = file;
    this.passed = passed;
  }

  /** The file with every param at its default. */
  public static BicepEvaluator of(BicepFile file) {
    return new BicepEvaluator(file, Map.of());
  }

  /** This file with some params set (the others at their defaults). */
  public BicepEvaluator with(Map<String, Object> params) {
    Map<String, Optional<Object>> p = new HashMap<>(passed);
    params.forEach((k, v) -> p.put(k, Optional.of(v)));
    return new BicepEvaluator(file, p);
  }

  /** The module's file with the params this file passes to it, evaluated here. */
  public BicepEvaluator forModule(BicepFile.Module module, BicepFile target) {
    Map<String, Optional<Object>> p = new HashMap<>();
    module.params().forEach((k, v) -> p.put(k, eval(v)));
    return new BicepEvaluator(target, p);
  }

  public BicepFile file() {
    return file;
  }

  public Optional<Object> eval(Node n) {
    if (n instanceof Node.Group g && g.elements().size() == 1) {
      return eval(g.elements().get(0));
    }
    if (n instanceof Node.Obj o) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<String, Node> e : o.entries().entrySet()) {
        Optional<Object> v = eval(e.getValue());
        if (v.isEmpty()) {
          return Optional.empty();
        }
        m.put(e.getKey(), v.get());
      }
      return Optional.of(m);
    }
    if (n instanceof Node.Arr a) {
      List<Object> l = new ArrayList<>();
      for (Node e : a.elements()) {
        Optional<Object> v = eval(e);
        if (v.isEmpty()) {
          return Optional.empty();
        }
        l.add(v.get());
      }
      return Optional.of(l);
    }
    if (!(n instanceof Node.Expr e)) {
      return Optional.empty();
    }
    List<Object> items = e.items();
    if (items.size() == 1 && items.get(0) instanceof Token t) {
      return token(t);
    }
    if (items.get(0) instanceof Token t && t.isSymbol("!")) {
      return eval(new Node.Expr(items.subList(1, items.size())))
          .filter(Boolean.class::isInstance)
          .map(b -> !(Boolean) b);
    }
    if (items.size() == 2
        && items.get(0) instanceof Token f
        && f.kind() == Token.Kind.IDENT
        && items.get(1) instanceof Node.Group args
        && args.elements().size() == 1) {
      Optional<Object> arg = eval(args.elements().get(0));
      return switch (f.text()) {
        case "toUpper" -> arg.map(a -> a.toString().toUpperCase(Locale.ROOT));
        case "toLower" -> arg.map(a -> a.toString().toLowerCase(Locale.ROOT));
        case "string" ->
            arg.filter(a -> !(a instanceof Map || a instanceof List)).map(String::valueOf);
        case "empty" ->
            arg.map(
                a ->
                    a instanceof String s
                        ? s.isEmpty()
                        : a instanceof Map<?, ?> m ? m.isEmpty() : ((List<?>) a).isEmpty());
        default -> Optional.empty();
      };
    }
    return Optional.empty();
  }

  /** The value, or a failure naming what could not be evaluated. */
  public Object value(Node n) {
    return eval(n).orElseThrow(() -> new IllegalStateException("not evaluable here: " + n));
  }

  private Optional<Object> token(Token t) {
    switch (t.kind()) {
      case NUMBER:
        return Optional.of(Integer.valueOf(t.text()));
      case STRING:
        StringBuilder b = new StringBuilder();
        String[] literal = t.text().split("\\$\\{\\}", -1);
        for (int i = 0; i < literal.length; i++) {
          b.append(literal[i]);
          if (i < t.interpolations().size()) {
            Optional<Object> v =
                eval(BicepReader.interpolation(file.path().toString(), t.interpolations().get(i)));
            if (v.isEmpty()) {
              return Optional.empty();
            }
            b.append(v.get());
          }
        }
        return Optional.of(b.toString());
      case IDENT:
        switch (t.text()) {
          case "true":
            return Optional.of(true);
          case "false":
            return Optional.of(false);
          default:
            break;
        }
        if (passed.containsKey(t.text())) {
          return passed.get(t.text());
        }
        Optional<BicepFile.Param> param = file.param(t.text());
        if (param.isPresent()) {
          return param.get().defaultValue().flatMap(this::eval);
        }
        Node var = file.vars().get(t.text());
        return var == null ? Optional.empty() : eval(var);
      default:
        return Optional.empty();
    }
  }
}
