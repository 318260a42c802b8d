package io.iomt.fhir.write;

import io.iomt.core.error.DataException;
import io.iomt.core.observation.ObservationGroup;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;

/**
 * The outcome of writing one flush of groups: what was created, updated or left unchanged (the
 * Observations as the server now holds them), and the groups rejected with a non-blocking error.
 */
public record WriteReport(
    List<Observation> created,
    List<Observation> updated,
    List<Observation> unchanged,
    List<Rejected> rejected) {

  /** A group that could not be written, and why. */
  public record Rejected(ObservationGroup group, DataException error) {}

  public WriteReport {
    created = List.copyOf(created);
    updated = List.copyOf(updated);
    unchanged = List.copyOf(unchanged);
    rejected = List.copyOf(rejected);
  }
}
