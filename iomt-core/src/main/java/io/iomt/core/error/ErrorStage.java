package io.iomt.core.error;

/** The pipeline stage an error belongs to, as MedTech names them in its error metrics. */
public enum ErrorStage {
  SETUP("Setup"),
  NORMALIZATION("Normalization"),
  GROUPING("Grouping"),
  FHIR_CONVERSION("FHIRConversion");

  private final String displayName;

  ErrorStage(String displayName) {
    this.displayName = displayName;
  }

  /** The stage name as users see it in metrics and dead-letter headers. */
  public String displayName() {
    return displayName;
  }
}
