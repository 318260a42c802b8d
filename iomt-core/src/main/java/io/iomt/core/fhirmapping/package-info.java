/**
 * FHIR destination mappings: MedTech's {@code CollectionFhir} of {@code CodeValueFhir} templates
 * (codes, category, components, period interval, and the SampledData, Quantity, String and
 * CodeableConcept value types), read and validated with every problem at its line and column.
 * {@link io.iomt.core.fhirmapping.FhirMapping} is the entry point; {@link
 * io.iomt.core.fhirmapping.MappingCrossCheck} checks a device mapping against it.
 */
package io.iomt.core.fhirmapping;
