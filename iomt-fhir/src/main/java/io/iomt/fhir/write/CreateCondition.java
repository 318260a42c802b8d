package io.iomt.fhir.write;

import org.hl7.fhir.r4.model.Bundle.BundleEntryRequestComponent;

/**
 * How a PUT that creates an Observation with its deterministic id is made create-only, so that a
 * writer that read "absent" cannot overwrite an Observation a concurrent writer created meanwhile
 * (a rebalance race). The server answers a refused create with 409 or 412, and the writer re-reads
 * and merges.
 */
enum CreateCondition {
  /**
   * {@code If-Match: W/"0"}: HAPI FHIR JPA 8.8 creates the resource when it is absent and answers
   * 409 when any version exists (tested in {@code FhirObservationWriterIT}; it ignores {@code
   * If-None-Match} on PUT). Tried first.
   */
  VERSION_ZERO {
    @Override
    void apply(BundleEntryRequestComponent request) {
      request.setIfMatch("W/\"0\"");
    }
  },
  /**
   * {@code If-None-Match: *} (RFC 9110 §13.1.2, FHIR {@code Bundle.entry.request.ifNoneMatch}):
   * used once a server refused a version-zero create of an Observation that a re-read showed
   * absent, as servers that apply {@code If-Match} strictly to absent resources do.
   */
  IF_NONE_MATCH {
    @Override
    void apply(BundleEntryRequestComponent request) {
      request.setIfNoneMatch("*");
    }
  };

  abstract void apply(BundleEntryRequestComponent request);
}
