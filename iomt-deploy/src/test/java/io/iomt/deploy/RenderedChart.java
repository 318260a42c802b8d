package io.iomt.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The chart rendered by Helm's own code ({@code helm template}, through helm-java), as the list of
 * manifests it produced, parsed as YAML maps. The sample mappings of samples/ are the chart's
 * {@code mappings} ({@code --set-file}), under their file names. Immutable.
 */
record RenderedChart(List<Map<String, Object>> manifests) {
  static final Path MODULE = Path.of("").toAbsolutePath();
  static final Path REPO = MODULE.getParent();
  static final Path CHART = REPO.resolve("deploy/helm/iomt-connector");
  static final Path SAMPLES = REPO.resolve("samples");
  static final List<String> MAPPING_FILES = List.of("device-mapping.json", "fhir-mapping.json");

  /** The release name and namespace every rendering uses. */
  static final String RELEASE = "iomt";

  static final String FULLNAME = "iomt-iomt-connector";

  static RenderedChart render(Scenario scenario) {
    return render(scenario, t -> {});
  }

  /**
   * @param more further {@code --set}s on top of the scenario's values
   */
  static RenderedChart render(Scenario scenario, Consumer<TemplateCommand> more) {
    TemplateCommand t =
        new Helm(CHART)
            .template()
            .withName(RELEASE)
            .withNamespace("health")
            .withKubeVersion("1.32.4")
            .withValuesFile(scenario.valuesFile());
    for (String file : MAPPING_FILES) {
      t.setFile("mappings." + file.replace(".", "\\."), SAMPLES.resolve(file));
    }
    more.accept(t);
    return parse(t.call());
  }

  static RenderedChart parse(String rendered) {
    List<Map<String, Object>> manifests = new ArrayList<>();
    for (Object document : yaml().loadAll(rendered)) {
      if (document != null) {
        manifests.add(map(document));
      }
    }
    return new RenderedChart(List.copyOf(manifests));
  }

  /** The manifests of a kind, in rendering order. */
  List<Map<String, Object>> all(String kind) {
    return manifests.stream().filter(m -> kind.equals(m.get("kind"))).toList();
  }

  /** The one manifest of a kind (fails when there is none or more than one). */
  Map<String, Object> one(String kind) {
    List<Map<String, Object>> found = all(kind);
    assertThat(found).as("manifests of kind %s", kind).hasSize(1);
    return found.get(0);
  }

  /** The manifest of a kind and name. */
  Map<String, Object> named(String kind, String name) {
    return all(kind).stream()
        .filter(m -> name.equals(map(m.get("metadata")).get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
  }

  /**
   * {@code helm lint --strict} of the chart with a scenario's values, as chart-testing lints its
   * ci/ values: helm-java's lint takes no values files, so the chart is copied with the chart's
   * values, the scenario's and the mappings merged into its values.yaml as Helm merges them.
   */
  static LintResult lint(Scenario scenario, Path workDir) throws IOException {
    Path copy = workDir.resolve("iomt-connector");
    copyTree(CHART, copy);
    Map<String, Object> values = load(CHART.resolve("values.yaml"));
    merge(values, load(scenario.valuesFile()));
    Map<String, Object> mappings = new LinkedHashMap<>();
    for (String file : MAPPING_FILES) {
      mappings.put(file, Files.readString(SAMPLES.resolve(file)));
    }
    merge(values, Map.of("mappings", mappings));
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    Files.writeString(copy.resolve("values.yaml"), new Yaml(options).dump(values));
    return new Helm(copy).lint().strict().call();
  }

  /** Helm's merge of values: maps merge key by key, anything else is replaced. */
  static void merge(Map<String, Object> into, Map<String, Object> from) {
    for (Map.Entry<String, Object> e : from.entrySet()) {
      Object mine = into.get(e.getKey());
      if (mine instanceof Map<?, ?> && e.getValue() instanceof Map<?, ?>) {
        merge(map(mine), map(e.getValue()));
      } else {
        into.put(e.getKey(), e.getValue());
      }
    }
  }

  static Map<String, Object> load(Path file) {
    try {
      Map<String, Object> m = map(yaml().load(Files.readString(file)));
      return m == null ? new LinkedHashMap<>() : m;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  /** The value at a path of map keys, e.g. {@code at(deployment, "spec", "template")}. */
  static Object at(Map<String, Object> root, String... path) {
    Object o = root;
    for (String key : path) {
      assertThat(o).as("parent of %s", key).isInstanceOf(Map.class);
      o = map(o).get(key);
    }
    return o;
  }

  private static Yaml yaml() {
    return new Yaml(new SafeConstructor(new LoaderOptions()));
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
