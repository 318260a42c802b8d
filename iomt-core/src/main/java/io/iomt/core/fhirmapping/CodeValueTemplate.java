package io.iomt.core.fhirmapping;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code CodeValueFhir} template: how measurements of one type become Observations.
 *
 * @param value the Observation's own value; null when only components carry values
 */
public record CodeValueTemplate(
    String typeName,
    PeriodInterval periodInterval,
    List<FhirCategory> category,
    List<FhirCode> codes,
    FhirValue value,
    List<FhirComponent> components) {

  public CodeValueTemplate {
    category = List.copyOf(category);
    codes = List.copyOf(codes);
    components = List.copyOf(components);
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
