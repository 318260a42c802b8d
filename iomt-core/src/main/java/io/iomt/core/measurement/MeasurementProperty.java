package io.iomt.core.measurement;

import java.util.Objects;

/**
 * One named value of a measurement. Values are always strings, as MedTech stores them; the FHIR
 * mapping decides how to read them (decimal for Quantity, text for String, ...).
 */
public record MeasurementProperty(String name, String value) {
  public MeasurementProperty {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
