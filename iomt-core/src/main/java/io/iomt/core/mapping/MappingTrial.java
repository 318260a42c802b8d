package io.iomt.core.mapping;

import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.error.DataException;
import io.iomt.core.error.InvalidTemplateException;
import io.iomt.core.error.TemplateProblem;
import io.iomt.core.measurement.Measurement;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a device mapping over a file of event envelopes offline: what {@code iomt normalize}, the
 * golden-fixture tests and the mapping debugger share, so that a user's failing case becomes a test
 * by copying a folder.
 */
public final class MappingTrial {
  private MappingTrial() {}

  /** What came of a trial. */
  public sealed interface Outcome {}

  /** The mapping did not load; nothing was normalized. */
  public record InvalidMapping(List<TemplateProblem> problems) implements Outcome {}

  /**
   * The mapping loaded and every event was tried. {@code measurements} holds those of the events
   * that succeeded, in input order; {@code failures} one entry per event that did not.
   */
  public record Completed(
      List<Measurement> measurements, List<EventFailure> failures, List<TemplateProblem> warnings)
      implements Outcome {}

  /** One event that could not be normalized, with its 0-based index in the input. */
  public record EventFailure(int index, DataException error) {}

  public static Outcome run(byte[] mapping, byte[] input, EnvelopeReader reader) {
    DeviceMapping deviceMapping;
    try {
      deviceMapping = DeviceMapping.parse(mapping);
    } catch (InvalidTemplateException e) {
      return new InvalidMapping(e.problems());
    }
    List<Measurement> measurements = new ArrayList<>();
    List<EventFailure> failures = new ArrayList<>();
    reader.readEnvelopes(
        input,
        event -> {
          if (event instanceof EnvelopeReader.Parsed p) {
            try {
              measurements.addAll(deviceMapping.normalize(p.envelope(), null));
            } catch (DataException e) {
              failures.add(new EventFailure(p.index(), e));
            }
          } else if (event instanceof EnvelopeReader.Rejected r) {
            failures.add(new EventFailure(r.index(), r.error()));
          }
        });
    return new Completed(measurements, failures, deviceMapping.warnings());
  }
}
