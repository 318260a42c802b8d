package io.iomt.core.measurement;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One normalized reading of one device, the unit that flows from the normalize stage to grouping.
 *
 * @param type the template's {@code typeName}; never null
 * @param occurrenceTimeUtc when the reading was taken; never null
 * @param ingestionTimeUtc when the event source accepted the message; null when unknown (the CLI)
 * @param deviceId the device identifier; never null or blank
 * @param patientId optional patient identifier
 * @param encounterId optional encounter identifier
 * @param correlationId optional correlation id (required when the template maps one)
 * @param properties the mapped values, in template order; never null
 */
public record Measurement(
    String type,
    Instant occurrenceTimeUtc,
    Instant ingestionTimeUtc,
    String deviceId,
    String patientId,
    String encounterId,
    String correlationId,
    List<MeasurementProperty> properties) {

  public Measurement {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(occurrenceTimeUtc, "occurrenceTimeUtc");
    Objects.requireNonNull(deviceId, "deviceId");
    properties = List.copyOf(properties);
  }
}
