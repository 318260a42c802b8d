/**
 * Device mappings: loading MedTech/iomt-fhir device-mapping files (every template type, spelling
 * and case rule of the originals), validating them completely with line and column, and applying
 * them to event envelopes to produce {@link io.iomt.core.measurement.Measurement measurements}.
 * Expressions are compiled once at load; {@link io.iomt.core.mapping.DeviceMapping} is the entry
 * point.
 */
package io.iomt.core.mapping;
