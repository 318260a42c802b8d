package io.iomt.core.fhirmapping;

import java.util.List;

/** An Observation category: {@code {"text", "codes": [...]}}. */
public record FhirCategory(String text, List<FhirCode> codes) {
  public FhirCategory {
    codes = List.copyOf(codes);
  }
}
