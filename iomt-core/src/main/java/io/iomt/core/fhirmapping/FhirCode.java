package io.iomt.core.fhirmapping;

/** A coding of a template: {@code {"code", "system", "display"}}; system and display optional. */
public record FhirCode(String code, String system, String display) {}
