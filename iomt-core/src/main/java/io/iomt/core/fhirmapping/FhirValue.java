package io.iomt.core.fhirmapping;

import java.util.List;

/** How a measurement value becomes an Observation value; {@code valueType} picks the variant. */
public sealed interface FhirValue {

  /** The measurement property this value reads. */
  String valueName();

  /**
   * A waveform: origin 0, one slot every {@code defaultPeriod} ms from the period start, each slot
   * holding the last value in it, {@code E} where none.
   */
  record SampledData(String valueName, double defaultPeriod, String unit) implements FhirValue {}

  /** A decimal with a unit; exactly one value per Observation. */
  record Quantity(String valueName, String unit, String system, String code) implements FhirValue {}

  /** The value as text; exactly one value per Observation. */
  record Text(String valueName) implements FhirValue {}

  /** A fixed concept, present when the measurement has the value. */
  record CodeableConcept(String valueName, String text, List<FhirCode> codes) implements FhirValue {
    public CodeableConcept {
      codes = List.copyOf(codes);
    }
  }
}
