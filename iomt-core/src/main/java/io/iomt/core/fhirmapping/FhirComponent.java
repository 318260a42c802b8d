package io.iomt.core.fhirmapping;

import java.util.List;

/** One component of a multi-value Observation (blood pressure's systolic and diastolic). */
public record FhirComponent(List<FhirCode> codes, FhirValue value) {
  public FhirComponent {
    codes = List.copyOf(codes);
  }
}
