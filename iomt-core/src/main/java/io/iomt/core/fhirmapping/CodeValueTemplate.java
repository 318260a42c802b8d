package io.iomt.core.fhirmapping;

import io.iomt.core.error.ErrorOrigin;
import io.iomt.core.template.LocatedJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@code CodeValueFhir} template: how measurements of one type become Observations.
 *
 * @param codes the Observation's codes; may be empty (the code then holds only the type coding)
 * @param value the Observation's own value; null when only components carry values
 * @param locations where the template and its parts are written in the mapping file, for the origin
 *     of data errors; {@link Locations#UNKNOWN} for a template built in code
 */
public record CodeValueTemplate(
    String typeName,
    PeriodInterval periodInterval,
    List<FhirCategory> category,
    List<FhirCode> codes,
    FhirValue value,
    List<FhirComponent> components,
    Locations locations) {

  public CodeValueTemplate {
    category = List.copyOf(category);
    codes = List.copyOf(codes);
    components = List.copyOf(components);
    locations = locations == null ? Locations.UNKNOWN : locations;
  }

  /** A template that was not read from a file: its data errors carry no line and column. */
  public CodeValueTemplate(
      String typeName,
      PeriodInterval periodInterval,
      List<FhirCategory> category,
      List<FhirCode> codes,
      FhirValue value,
      List<FhirComponent> components) {
    this(typeName, periodInterval, category, codes, value, components, Locations.UNKNOWN);
  }

  /**
   * Where a template is written in its mapping file.
   *
   * @param index 0-based index of the template in the collection, -1 when unknown
   * @param template the template object's opening brace
   * @param periodInterval the periodInterval's value (the template's brace when it is absent)
   * @param values each value object by its valueName (the Observation's value, then components)
   */
  public record Locations(
      int index,
      LocatedJson.Position template,
      LocatedJson.Position periodInterval,
      Map<String, LocatedJson.Position> values) {
    public static final Locations UNKNOWN =
        new Locations(-1, LocatedJson.Position.UNKNOWN, LocatedJson.Position.UNKNOWN, Map.of());

    public Locations {
      values = Map.copyOf(values);
    }

    /** Where the value object of {@code valueName} is written, else where the template is. */
    public LocatedJson.Position value(String valueName) {
      return values.getOrDefault(valueName, template);
    }
  }

  /**
   * The origin of a data error raised while converting the value {@code valueName} (a Quantity that
   * is not a single decimal, SampledData that is not numeric): this template, the value's name as
   * the field, and where the value object is written.
   */
  public ErrorOrigin valueOrigin(String valueName) {
    return origin(valueName, locations.value(valueName));
  }

  /**
   * The origin of a data error about the template as a whole (a measurement without the correlation
   * id its CorrelationId period needs): this template, at its periodInterval.
   */
  public ErrorOrigin templateOrigin() {
    return origin(null, locations.periodInterval());
  }

  private ErrorOrigin origin(String field, LocatedJson.Position at) {
    return new ErrorOrigin(
        "fhir", locations.index(), "CodeValueFhir", typeName, field, null, at.line(), at.column());
  }

  /** Every value name the template reads, value first, then components in order. */
  public List<String> valueNames() {
    List<String> names = new ArrayList<>();
    if (value != null) {
      names.add(value.valueName());
    }
    components.forEach(c -> names.add(c.value().valueName()));
    return names;
  }
}
