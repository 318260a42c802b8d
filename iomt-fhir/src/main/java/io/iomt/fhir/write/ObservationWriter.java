package io.iomt.fhir.write;

import io.iomt.core.observation.ObservationGroup;
import java.util.List;

/**
 * The Observation sink: where the grouping stage writes a flush of {@link ObservationGroup}s. The
 * FHIR server implementation is {@link FhirObservationWriter}; {@link InMemoryObservationWriter}
 * keeps Observations in memory for fast tests. Both pass the same contract test ({@code
 * ObservationWriterContract} in this module's tests).
 *
 * <p><b>Identity and idempotence.</b> Each group becomes the Observation whose id is {@link
 * io.iomt.core.observation.ObservationFactory#resourceId} of the group and its resolved Patient,
 * Device and Encounter, so the same group always addresses the same Observation. Writing a flush
 * again (a replay after a crash, a rebalance or a blocking error) is therefore a no-op, reported as
 * {@link WriteReport#unchanged()}, or a merge of values not yet present, reported as {@link
 * WriteReport#updated()}; it never creates a duplicate. Two flushes of the same period of one
 * device merge into one Observation (SampledData slots, components, widened period); nothing merged
 * is lost, also when two writers merge into the same Observation concurrently.
 *
 * <p><b>Errors.</b> A thrown {@link io.iomt.core.error.FhirServiceException} is blocking: {@link
 * io.iomt.core.error.FhirServiceUnavailableException} (the server is unreachable or kept failing)
 * or {@link io.iomt.core.error.UnauthorizedAccessFhirServiceException} (it refuses the connector's
 * credentials). Then nothing of the flush may be considered written, even if part of it was: the
 * caller keeps its offsets and retries the whole flush later, which the deterministic ids make
 * safe. A problem of one group that does not block the others (an unknown device in Lookup mode, a
 * value the server rejects, a conflict that did not resolve) comes back as a {@link
 * WriteReport.Rejected} with a non-blocking {@link io.iomt.core.error.DataException}, while the
 * other groups of the same flush are written. Any other exception is a bug.
 *
 * <p><b>Thread-safety.</b> Implementations are thread-safe: concurrent flushes of different
 * partitions (hence different devices) may call {@link #write} at once, and concurrent flushes that
 * touch the same Observation (two replicas during a rebalance) end with every value merged.
 *
 * <p><b>Nullability and lifecycle.</b> Arguments and results are never null. A writer needs no
 * start or close; it holds at most caches and HTTP connections that the JVM reclaims.
 */
public interface ObservationWriter {
  /**
   * Writes one flush and returns when every group is created, updated, unchanged or rejected.
   *
   * @param groups the flush, in order; groups that address the same Observation are merged in this
   *     order; may be empty, never null
   * @return per-group outcomes: the Observations as now stored, and the rejected groups
   * @throws io.iomt.core.error.FhirServiceException when the server cannot be used now; nothing of
   *     the flush may then be considered written and the caller retries the whole flush later
   */
  WriteReport write(List<ObservationGroup> groups);
}
