package io.iomt.core.mapping;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.core.error.InvalidTemplateException;
import io.iomt.core.error.TemplateProblem;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.template.LocatedJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A loaded device mapping (MedTech's "device mapping", a {@code CollectionContent} of templates):
 * turns event envelopes into measurements. Every expression is compiled when the mapping loads.
 * Immutable and thread-safe: one instance serves all partitions.
 */
public final class DeviceMapping {
  private final List<ContentTemplate> templates;
  private final List<TemplateProblem> warnings;

  private DeviceMapping(List<ContentTemplate> templates, List<TemplateProblem> warnings) {
    this.templates = templates;
    this.warnings = warnings;
  }

  /**
   * Loads and validates a mapping.
   *
   * @throws InvalidTemplateException listing every problem with its line and column
   */
  public static DeviceMapping parse(byte[] json) {
    DeviceMappingParser.Result result = new DeviceMappingParser().parse(json);
    if (result.hasErrors()) {
      throw new InvalidTemplateException(result.problems());
    }
    return new DeviceMapping(result.templates(), result.problems());
  }

  public static DeviceMapping parse(String json) {
    return parse(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Every problem of a mapping, errors first, each with line and column; empty when clean. */
  public static List<TemplateProblem> validate(byte[] json) {
    return new DeviceMappingParser().parse(json).problems();
  }

  /**
   * Normalizes one event. All templates are applied in order; each matched token yields one
   * measurement. The event is all-or-nothing: when any template fails, nothing is emitted.
   *
   * @param envelope {@code {"Body":..., "Properties":{...}, "SystemProperties":{...}}}
   * @param ingestionTime when the event source accepted the event; may be null
   * @throws io.iomt.core.error.DataException when the event does not fit the mapping
   */
  public void normalize(ObjectNode envelope, Instant ingestionTime, Consumer<Measurement> out) {
    List<Measurement> measurements = normalize(envelope, ingestionTime);
    measurements.forEach(out);
  }

  /** As {@link #normalize(ObjectNode, Instant, Consumer)}, collected into a list. */
  public List<Measurement> normalize(ObjectNode envelope, Instant ingestionTime) {
    List<Measurement> out = new ArrayList<>();
    for (ContentTemplate template : templates) {
      template.apply(envelope, ingestionTime, out::add);
    }
    return out;
  }

  /** The distinct type names, in template order. */
  public List<String> typeNames() {
    LinkedHashSet<String> names = new LinkedHashSet<>();
    templates.forEach(t -> names.add(t.typeName()));
    return List.copyOf(names);
  }

  /**
   * The value names each type's templates produce, by type name as first written (templates that
   * share a type name contribute to one entry).
   */
  public Map<String, Set<String>> valueNamesByType() {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (ContentTemplate t : templates) {
      Set<String> names = out.computeIfAbsent(t.typeName(), k -> new LinkedHashSet<>());
      t.values().forEach(v -> names.add(v.name()));
    }
    return out;
  }

  /** Where the first template of a type declares its typeName. */
  public LocatedJson.Position typeNameAt(String typeName) {
    return templates.stream()
        .filter(t -> t.typeName().equals(typeName))
        .findFirst()
        .map(ContentTemplate::typeNameAt)
        .orElse(LocatedJson.Position.UNKNOWN);
  }

  /** Number of content templates (nested collections flattened). */
  public int templateCount() {
    return templates.size();
  }

  /** Non-fatal findings of the load, e.g. ignored properties. */
  public List<TemplateProblem> warnings() {
    return warnings;
  }
}
