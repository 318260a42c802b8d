/** Writing Observations: batched reads and writes, optimistic concurrency, per-entry outcomes. */
package io.iomt.fhir.write;
