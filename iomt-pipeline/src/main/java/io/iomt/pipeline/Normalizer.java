package io.iomt.pipeline;

import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.error.DataException;
import io.iomt.core.error.ErrorStage;
import io.iomt.core.error.UnexpectedProcessingException;
import io.iomt.core.mapping.DeviceMapping;
import io.iomt.core.measurement.Measurement;
import io.iomt.pipeline.source.SourceEvent;
import java.util.List;

/**
 * The transport-free part of the normalize stage: one event's bytes and properties in, its
 * measurements or the reason it was refused out. Never throws for a per-message problem: a data
 * error, an unexpected exception and a {@link StackOverflowError} all become {@link Rejected}, so a
 * message can only be dead-lettered, never stall its partition. Thread-safe (the mapping and the
 * reader are).
 */
public final class Normalizer {
  /** What became of one event. */
  public sealed interface Outcome {}

  /** The event's measurements; empty when no template matched (MedTech counts it, nothing else). */
  public record Normalized(List<Measurement> measurements) implements Outcome {}

  /** The event could not be normalized; it goes to the error topic with this error. */
  public record Rejected(DataException error) implements Outcome {}

  private final DeviceMapping mapping;
  private final EnvelopeReader reader;

  public Normalizer(DeviceMapping mapping, EnvelopeReader reader) {
    this.mapping = mapping;
    this.reader = reader;
  }

  public Outcome normalize(SourceEvent event) {
    try {
      return new Normalized(
          mapping.normalize(
              reader.envelope(event.body(), event.propertiesAsText(), event.systemProperties()),
              event.ingestionTime()));
    } catch (DataException e) {
      return new Rejected(e);
    } catch (RuntimeException | StackOverflowError e) {
      return new Rejected(new UnexpectedProcessingException(ErrorStage.NORMALIZATION, e));
    }
  }
}
