/**
 * Writing Observations: the {@link io.iomt.fhir.write.ObservationWriter} sink port, its FHIR
 * implementation (batched reads and writes, versioned and create-only PUTs, per-entry outcomes) and
 * an in-memory implementation for fast tests; both pass one contract test.
 */
package io.iomt.fhir.write;
