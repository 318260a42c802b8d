package io.iomt.core.fhirmapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.iomt.core.error.TemplateProblem;
import io.iomt.core.template.LocatedJson;
import io.iomt.core.template.Problems;
import io.iomt.core.template.Props;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Reads a FHIR destination mapping, reporting every problem at once with line and column. */
final class FhirMappingParser {
  private static final List<String> TEMPLATE_PROPERTIES =
      List.of("typeName", "periodInterval", "category", "codes", "value", "components");

  private final Problems problems = new Problems();
  private final List<CodeValueTemplate> templates = new ArrayList<>();
  private final Map<String, String> seenTypes = new HashMap<>();
  private LocatedJson doc;

  /**
   * @param declaredTypes every type name a CodeValueFhir template declares, lower-case, including
   *     templates that have errors; null when the document is not readable JSON
   */
  record Result(
      List<CodeValueTemplate> templates,
      Map<String, LocatedJson.Position> positions,
      List<TemplateProblem> problems,
      java.util.Set<String> declaredTypes) {}

  private final Map<String, LocatedJson.Position> positions = new HashMap<>();

  Result parse(byte[] json) {
    doc = LocatedJson.read(json, problems);
    if (doc == null) {
      return new Result(List.of(), Map.of(), problems.sorted(), null);
    }
    Props root = Props.of(problems, doc, "", "the root object");
    if (root != null) {
      root.rejectUnknown(List.of("templateType", "template"), "root");
      String type = root.requiredText("templateType");
      if (type != null
          && !type.trim().equalsIgnoreCase("CollectionFhir")
          && !type.trim().equalsIgnoreCase("CollectionFhirTemplate")) {
        problems.error(
            root.valueAt("templateType"),
            "The root templateType must be 'CollectionFhir', not '" + type + "'");
      }
      forEach(root, "template", this::entry);
      if (!problems.hasErrors() && templates.isEmpty()) {
        problems.warning(root.position(), "The mapping has no templates");
      }
    }
    return new Result(
        List.copyOf(templates),
        Map.copyOf(positions),
        problems.sorted(),
        java.util.Set.copyOf(seenTypes.keySet()));
  }

  private void entry(String pointer) {
    Props entry = Props.of(problems, doc, pointer, "a template entry");
    if (entry == null) {
      return;
    }
    entry.rejectUnknown(List.of("templateType", "template"), "template entry");
    String type = entry.requiredText("templateType");
    if (type == null) {
      return;
    }
    String t = type.trim().toLowerCase(Locale.ROOT);
    if (!t.equals("codevaluefhir") && !t.equals("codevaluefhirtemplate")) {
      problems.error(
          entry.valueAt("templateType"),
          "Unknown templateType '" + type + "'; expected CodeValueFhir");
      return;
    }
    if (entry.get("template") == null) {
      entry.missing("template");
      return;
    }
    int index = Integer.parseInt(pointer.substring(pointer.lastIndexOf('/') + 1));
    codeValue(entry.pointer("template"), index);
  }

  /** A CodeValueFhir template; {@code index} is its 0-based place in the collection. */
  private void codeValue(String pointer, int index) {
    Props p = Props.of(problems, doc, pointer, "a CodeValueFhir template");
    if (p == null) {
      return;
    }
    p.rejectUnknown(TEMPLATE_PROPERTIES, "CodeValueFhir");
    String typeName = p.requiredText("typeName");
    if (typeName != null) {
      String previous = seenTypes.putIfAbsent(typeName.toLowerCase(Locale.ROOT), typeName);
      if (previous != null) {
        problems.error(
            p.valueAt("typeName"),
            "Duplicate typeName '"
                + typeName
                + "': another CodeValueFhir template already handles '"
                + previous
                + "' (type names match case-insensitively)");
      }
    }
    PeriodInterval period = periodInterval(p);
    List<FhirCategory> category = list(p, "category", false, this::category);
    // Present but possibly empty, as in MedTech: "codes": [] makes an Observation whose code
    // holds only the type coding.
    List<FhirCode> codes = list(p, "codes", true, this::code);
    Map<String, LocatedJson.Position> valuesAt = new HashMap<>();
    FhirValue value =
        p.get("value") == null || p.get("value").isNull()
            ? null
            : located(value(p.pointer("value")), p.valueAt("value"), valuesAt);
    List<FhirComponent> components = list(p, "components", false, at -> component(at, valuesAt));
    if (typeName != null
        && period != null
        && codes != null
        && category != null
        && components != null
        && (p.get("value") == null || p.get("value").isNull() || value != null)) {
      CodeValueTemplate.Locations locations =
          new CodeValueTemplate.Locations(
              index, p.position(), p.valueAt("periodInterval"), valuesAt);
      templates.add(
          new CodeValueTemplate(typeName, period, category, codes, value, components, locations));
      positions.put(FhirMapping.key(typeName), p.valueAt("typeName"));
    }
  }

  /** Records where a value is written (the first of a repeated value name wins). */
  private static FhirValue located(
      FhirValue value, LocatedJson.Position at, Map<String, LocatedJson.Position> valuesAt) {
    if (value != null) {
      valuesAt.putIfAbsent(value.valueName(), at);
    }
    return value;
  }

  private PeriodInterval periodInterval(Props p) {
    JsonNode node = p.get("periodInterval");
    if (node == null || node.isNull()) {
      return PeriodInterval.SINGLE;
    }
    PeriodInterval parsed = node.isValueNode() ? PeriodInterval.parse(node.asText()) : null;
    if (parsed == null) {
      problems.error(
          p.valueAt("periodInterval"),
          "periodInterval must be Single (0), Hourly (60), Daily (1440) or CorrelationId (-1), not "
              + node);
    }
    return parsed;
  }

  private FhirCategory category(String pointer) {
    Props p = Props.of(problems, doc, pointer, "a category");
    if (p == null) {
      return null;
    }
    p.rejectUnknown(List.of("text", "codes"), "category");
    String text = optionalText(p, "text");
    List<FhirCode> codes = list(p, "codes", false, this::code);
    return codes == null ? null : new FhirCategory(text, codes);
  }

  private FhirCode code(String pointer) {
    Props p = Props.of(problems, doc, pointer, "a code");
    if (p == null) {
      return null;
    }
    p.rejectUnknown(List.of("code", "system", "display"), "code");
    String code = p.requiredText("code");
    String system = optionalText(p, "system");
    String display = optionalText(p, "display");
    return code == null ? null : new FhirCode(code, system, display);
  }

  private FhirComponent component(String pointer, Map<String, LocatedJson.Position> valuesAt) {
    Props p = Props.of(problems, doc, pointer, "a component");
    if (p == null) {
      return null;
    }
    p.rejectUnknown(List.of("codes", "value"), "component");
    List<FhirCode> codes = list(p, "codes", true, this::code);
    FhirValue value = null;
    if (p.get("value") == null || p.get("value").isNull()) {
      p.missing("value");
    } else {
      value = located(value(p.pointer("value")), p.valueAt("value"), valuesAt);
    }
    return codes == null || value == null ? null : new FhirComponent(codes, value);
  }

  private FhirValue value(String pointer) {
    Props p = Props.of(problems, doc, pointer, "a value");
    if (p == null) {
      return null;
    }
    String type = p.requiredText("valueType");
    String name = p.requiredText("valueName");
    if (type == null) {
      return null;
    }
    List<String> common = List.of("valueType", "valueName");
    switch (type.trim().toLowerCase(Locale.ROOT)) {
      case "sampleddata" -> {
        p.rejectUnknown(with(common, "defaultPeriod", "unit"), "SampledData value");
        Double period = positiveNumber(p, "defaultPeriod");
        String unit = optionalText(p, "unit");
        return name == null || period == null
            ? null
            : new FhirValue.SampledData(name, period, unit);
      }
      case "quantity" -> {
        p.rejectUnknown(with(common, "unit", "system", "code"), "Quantity value");
        String unit = optionalText(p, "unit");
        String system = optionalText(p, "system");
        String code = optionalText(p, "code");
        return name == null ? null : new FhirValue.Quantity(name, unit, system, code);
      }
      case "string" -> {
        p.rejectUnknown(common, "String value");
        return name == null ? null : new FhirValue.Text(name);
      }
      case "codeableconcept" -> {
        p.rejectUnknown(with(common, "text", "codes"), "CodeableConcept value");
        String text = optionalText(p, "text");
        List<FhirCode> codes = list(p, "codes", false, this::code);
        return name == null || codes == null
            ? null
            : new FhirValue.CodeableConcept(name, text, codes);
      }
      default -> {
        problems.error(
            p.valueAt("valueType"),
            "Unknown valueType '"
                + type
                + "'; expected SampledData, Quantity, String or CodeableConcept");
        return null;
      }
    }
  }

  // --- helpers ------------------------------------------------------------------------------

  private static List<String> with(List<String> base, String... more) {
    List<String> all = new ArrayList<>(base);
    all.addAll(List.of(more));
    return all;
  }

  private Double positiveNumber(Props p, String name) {
    JsonNode node = p.get(name);
    if (node == null || node.isNull()) {
      p.missing(name);
      return null;
    }
    double value = node.isNumber() ? node.doubleValue() : parseDouble(node.asText());
    if (!(value > 0) || !node.isValueNode()) {
      problems.error(
          p.valueAt(name), name + " must be a positive number of milliseconds, not " + node);
      return null;
    }
    return value;
  }

  private static double parseDouble(String text) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private String optionalText(Props p, String name) {
    JsonNode node = p.get(name);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      problems.error(p.valueAt(name), "'" + name + "' must be a string in " + p.what());
      return null;
    }
    return node.asText();
  }

  /**
   * Reads an array property element by element; null when the property itself is invalid. A
   * required property must be present, but may be an empty array.
   */
  private <T> List<T> list(Props p, String name, boolean required, Function<String, T> element) {
    JsonNode node = p.get(name);
    if (node == null || node.isNull()) {
      if (required) {
        p.missing(name);
        return null;
      }
      return List.of();
    }
    if (!node.isArray()) {
      problems.error(p.valueAt(name), "'" + name + "' must be an array in " + p.what());
      return null;
    }
    List<T> out = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < node.size(); i++) {
      T t = element.apply(p.pointer(name) + "/" + i);
      if (t == null) {
        ok = false;
      } else {
        out.add(t);
      }
    }
    return ok ? out : null;
  }

  /** A required, non-empty array property (the root's {@code template}), element by element. */
  private void forEach(Props p, String name, java.util.function.Consumer<String> element) {
    JsonNode node = p.get(name);
    if (node != null && node.isArray() && node.isEmpty()) {
      problems.error(p.valueAt(name), "'" + name + "' must not be empty in " + p.what());
      return;
    }
    list(
        p,
        name,
        true,
        pointer -> {
          element.accept(pointer);
          return Boolean.TRUE;
        });
  }
}
