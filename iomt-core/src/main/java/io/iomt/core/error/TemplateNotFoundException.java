package io.iomt.core.error;

/** A measurement's type has no CodeValueFhir template in the FHIR mapping. Non-blocking. */
public final class TemplateNotFoundException extends DataException {
  private static final long serialVersionUID = 1L;

  public TemplateNotFoundException(String message) {
    super(message, ErrorStage.GROUPING, null);
  }
}
