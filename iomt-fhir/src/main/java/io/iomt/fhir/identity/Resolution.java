package io.iomt.fhir.identity;

import io.iomt.core.error.DataException;
import io.iomt.core.observation.ObservationFactory.Subject;

/**
 * The outcome of resolving one group's identities ({@link IdentityResolver#resolveAll}): its
 * Patient, Device and Encounter ids, or the non-blocking error that group alone fails with. Never
 * null in either case.
 */
public sealed interface Resolution {
  /** The group's resource ids. */
  record Resolved(Subject subject) implements Resolution {}

  /** Why the group cannot be written (the same error a single {@code resolve} throws). */
  record Failed(DataException error) implements Resolution {}
}
