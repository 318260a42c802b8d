package io.iomt.deploy.bicep;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link BicepReader} read of one Bicep file: its declarations, in order. Immutable.
 *
 * @param path where the file is (module paths are relative to its directory)
 */
public record BicepFile(
    Path path,
    List<Param> params,
    Map<String, Node> vars,
    List<Resource> resources,
    List<Module> modules,
    List<Output> outputs) {

  /** Decorators of a declaration by name ({@code description}, {@code secure}, ...). */
  public record Decorators(Map<String, Node.Group> byName) {
    public boolean has(String name) {
      return byName.containsKey(name);
    }
  }

  /** {@code param name type [= default]}. */
  public record Param(
      String name, String type, Optional<Node> defaultValue, Decorators decorators, int line) {
    public boolean required() {
      return defaultValue.isEmpty();
    }
  }

  /** {@code resource symbol 'type@apiVersion' [existing] = value}. */
  public record Resource(
      String symbol, String type, String apiVersion, boolean existing, Node value, int line) {
    /** The resource's body: the object itself, or the one after {@code if (...)}. */
    public Node.Obj body() {
      return BicepFile.body(value);
    }
  }

  /** {@code module symbol 'path' = value}. */
  public record Module(String symbol, String path, Node value, int line) {
    public Node.Obj body() {
      return BicepFile.body(value);
    }

    /** The parameters passed, by name. */
    public Map<String, Node> params() {
      return body().at("params").map(n -> ((Node.Obj) n).entries()).orElse(Map.of());
    }
  }

  /** {@code output name type = value}. */
  public record Output(String name, String type, Node value, Decorators decorators, int line) {}

  public Optional<Param> param(String name) {
    return params.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  public Optional<Resource> resource(String symbol) {
    return resources.stream().filter(r -> r.symbol().equals(symbol)).findFirst();
  }

  public Optional<Module> module(String symbol) {
    return modules.stream().filter(m -> m.symbol().equals(symbol)).findFirst();
  }

  public Optional<Output> output(String name) {
    return outputs.stream().filter(o -> o.name().equals(name)).findFirst();
  }

  /** Every name an expression of this file may refer to: params, vars, resources, modules. */
  public Map<String, String> symbols() {
    Map<String, String> s = new LinkedHashMap<>();
    params.forEach(p -> s.put(p.name(), "param"));
    vars.keySet().forEach(v -> s.put(v, "var"));
    resources.forEach(r -> s.put(r.symbol(), "resource"));
    modules.forEach(m -> s.put(m.symbol(), "module"));
    return s;
  }

  static Node.Obj body(Node value) {
    if (value instanceof Node.Obj o) {
      return o;
    }
    if (value instanceof Node.Expr e
        && !e.items().isEmpty()
        && e.items().get(e.items().size() - 1) instanceof Node.Obj o) {
      return o; // if (condition) { ... }
    }
    throw new IllegalArgumentException("not an object body: " + value);
  }
}
