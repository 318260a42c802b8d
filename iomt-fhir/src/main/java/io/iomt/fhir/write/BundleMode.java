package io.iomt.fhir.write;

/** How Observation writes are sent: per-entry outcomes (batch) or all-or-nothing (transaction). */
public enum BundleMode {
  BATCH,
  TRANSACTION
}
