package io.iomt.core.debug;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.error.DataException;
import io.iomt.core.error.ErrorStage;
import io.iomt.core.error.UnexpectedProcessingException;
import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.mapping.DeviceMapping;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.observation.GroupKey;
import io.iomt.core.observation.Grouper;
import io.iomt.core.observation.ObservationFactory;
import io.iomt.core.observation.ObservationGroup;
import io.iomt.core.observation.ResourceIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Observation;

/**
 * The mapping debugger: runs messages through a device mapping and a FHIR mapping as the connector
 * does, offline, and says what came of each. A message becomes its envelope as the normalize stage
 * makes it ({@link EnvelopeReader#envelope}), is normalized by the device mapping, its measurements
 * are grouped by the FHIR mapping ({@link Grouper}), and each group becomes the Observation {@link
 * ObservationFactory} builds, with Patient, Device and Encounter ids derived from the measurement's
 * identifiers ({@link #offlineSubject}) instead of resolved on a FHIR server. Every data error is
 * kept with the message it came from. Nothing is sent anywhere.
 *
 * <p>{@code iomt mapping test} and the service's console API both use it, so that they show the
 * same measurements, Observations and errors. Thread-safe (the reader and the factory are).
 */
public final class MappingDebugger {
  /**
   * One message as a device sent it.
   *
   * @param body the body's bytes; never null
   * @param properties the application properties; null or empty when none
   * @param systemProperties what the transport says ({@code iothub-connection-device-id}, ...);
   *     null or empty when none
   */
  public record Message(
      byte[] body, Map<String, String> properties, Map<String, String> systemProperties) {
    public Message {
      Objects.requireNonNull(body, "body");
      properties = properties == null ? Map.of() : properties;
      systemProperties = systemProperties == null ? Map.of() : systemProperties;
    }
  }

  /** Where on the way a data error was raised. */
  public enum Step {
    /** Reading the message and applying the device mapping. */
    NORMALIZE,
    /** Finding the FHIR template of a measurement and its group. */
    GROUP,
    /** Building the Observation of a group. */
    CONVERT
  }

  /** A measurement and the 0-based index of the message it came from. */
  public record Normalized(int message, Measurement measurement) {}

  /**
   * The Observation a group becomes.
   *
   * @param group the group of measurements
   * @param subject the Patient, Device and Encounter ids it refers to
   * @param observation the Observation as it would be created
   * @param messages the indexes of the messages its measurements came from, ascending
   */
  public record Converted(
      ObservationGroup group,
      ObservationFactory.Subject subject,
      Observation observation,
      List<Integer> messages) {
    public Converted {
      messages = List.copyOf(messages);
    }
  }

  /**
   * A data error.
   *
   * @param step where it was raised
   * @param message the index of the message it concerns; null when it concerns several (a group
   *     built from more than one message)
   * @param deviceId the device it concerns; null when the message could not be normalized
   * @param error the error, with its {@link DataException#origin()} when the engine knows it
   */
  public record DataError(Step step, Integer message, String deviceId, DataException error) {}

  /** What came of a test. */
  public sealed interface Outcome {
    MappingValidation validation();
  }

  /** A mapping is missing or does not load: no message was run. */
  public record NotRun(MappingValidation validation) implements Outcome {}

  /**
   * The messages were run.
   *
   * @param measurements every measurement, in message order
   * @param groups the groups with the measurements each was built from
   * @param observations one per group that could be converted, in group order
   * @param errors the data errors: normalization (message order), grouping, then conversion
   */
  public record Ran(
      MappingValidation validation,
      List<Normalized> measurements,
      List<Grouper.Grouped<Normalized>> groups,
      List<Converted> observations,
      List<DataError> errors)
      implements Outcome {
    public Ran {
      measurements = List.copyOf(measurements);
      groups = List.copyOf(groups);
      observations = List.copyOf(observations);
      errors = List.copyOf(errors);
    }
  }

  private final EnvelopeReader reader;
  private final ObservationFactory factory;

  /**
   * @param reader makes the envelopes, with the message limits of the stage being imitated
   * @param factory builds the Observations (its clock sets their {@code issued})
   */
  public MappingDebugger(EnvelopeReader reader, ObservationFactory factory) {
    this.reader = Objects.requireNonNull(reader, "reader");
    this.factory = Objects.requireNonNull(factory, "factory");
  }

  /** Validates the mappings given (either may be null: not checked), as {@code iomt validate}. */
  public static MappingValidation validate(byte[] deviceMapping, byte[] fhirMapping) {
    return MappingValidation.of(deviceMapping, fhirMapping);
  }

  /**
   * Runs messages, each made into its envelope as the normalize stage makes it of a record (body,
   * application properties, system properties).
   */
  public Outcome test(byte[] deviceMapping, byte[] fhirMapping, List<Message> messages) {
    return run(
        deviceMapping,
        fhirMapping,
        out -> {
          for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            try {
              out.accept(
                  new Envelope(i, reader.envelope(m.body(), m.properties(), m.systemProperties())));
            } catch (DataException e) {
              out.accept(new Failure(i, e));
            }
          }
        });
  }

  /**
   * Runs the events of a file of envelopes (one envelope or a JSON array of them, {@link
   * EnvelopeReader#readEnvelopes}), what {@code iomt mapping test --input} reads.
   */
  public Outcome testEnvelopes(byte[] deviceMapping, byte[] fhirMapping, byte[] envelopes) {
    return run(
        deviceMapping,
        fhirMapping,
        out ->
            reader.readEnvelopes(
                envelopes,
                event -> {
                  if (event instanceof EnvelopeReader.Parsed p) {
                    out.accept(new Envelope(p.index(), p.envelope()));
                  } else if (event instanceof EnvelopeReader.Rejected r) {
                    out.accept(new Failure(r.index(), r.error()));
                  }
                }));
  }

  /**
   * The ids an Observation refers to when no FHIR server resolves them: each derived from its
   * identifier ({@link ResourceIds}, no system), as {@code Create} resolution makes new ones.
   */
  public static ObservationFactory.Subject offlineSubject(GroupKey key) {
    return new ObservationFactory.Subject(
        key.patientId() == null ? null : ResourceIds.of("Patient", null, key.patientId()),
        ResourceIds.of("Device", null, key.deviceId()),
        key.encounterId() == null ? null : ResourceIds.of("Encounter", null, key.encounterId()));
  }

  /** One message read: its envelope, or why it has none. */
  private sealed interface Event {}

  private record Envelope(int index, ObjectNode envelope) implements Event {}

  private record Failure(int index, DataException error) implements Event {}

  private Outcome run(byte[] device, byte[] fhir, Consumer<Consumer<Event>> events) {
    MappingValidation validation = MappingValidation.of(device, fhir);
    if (!validation.bothLoaded()) {
      return new NotRun(validation);
    }
    DeviceMapping deviceMapping = validation.device().mapping();
    FhirMapping fhirMapping = validation.fhir().mapping();
    List<Normalized> measurements = new ArrayList<>();
    List<DataError> errors = new ArrayList<>();
    events.accept(
        event -> {
          if (event instanceof Envelope e) {
            normalize(deviceMapping, e.index(), e.envelope(), measurements, errors);
          } else if (event instanceof Failure f) {
            errors.add(new DataError(Step.NORMALIZE, f.index(), null, f.error()));
          }
        });
    Grouper.Tracked<Normalized> grouped =
        Grouper.group(measurements, Normalized::measurement, fhirMapping);
    for (Grouper.Failed<Normalized> f : grouped.failures()) {
      errors.add(
          new DataError(
              Step.GROUP, f.source().message(), f.source().measurement().deviceId(), f.error()));
    }
    List<Converted> observations = new ArrayList<>();
    for (Grouper.Grouped<Normalized> g : grouped.groups()) {
      TreeSet<Integer> from = new TreeSet<>();
      g.sources().forEach(s -> from.add(s.message()));
      ObservationFactory.Subject subject = offlineSubject(g.group().key());
      try {
        observations.add(
            new Converted(
                g.group(), subject, factory.create(g.group(), subject), List.copyOf(from)));
      } catch (DataException e) {
        errors.add(
            new DataError(
                Step.CONVERT,
                from.size() == 1 ? from.first() : null,
                g.group().key().deviceId(),
                e));
      }
    }
    return new Ran(validation, measurements, grouped.groups(), observations, errors);
  }

  /** One envelope through the device mapping; a failure of any kind is that message's error. */
  private static void normalize(
      DeviceMapping mapping,
      int index,
      ObjectNode envelope,
      List<Normalized> measurements,
      List<DataError> errors) {
    try {
      for (Measurement m : mapping.normalize(envelope, null)) {
        measurements.add(new Normalized(index, m));
      }
    } catch (DataException e) {
      errors.add(new DataError(Step.NORMALIZE, index, null, e));
    } catch (RuntimeException | StackOverflowError e) {
      errors.add(
          new DataError(
              Step.NORMALIZE,
              index,
              null,
              new UnexpectedProcessingException(ErrorStage.NORMALIZATION, e)));
    }
  }
}
