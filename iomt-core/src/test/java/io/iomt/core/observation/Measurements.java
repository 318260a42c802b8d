package io.iomt.core.observation;

import io.iomt.core.measurement.Measurement;
import io.iomt.core.measurement.MeasurementProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Terse measurement construction for observation tests. */
final class Measurements {
  private Measurements() {}

  /** {@code m("heartrate", "dev1", "2021-07-07T17:00:00Z", "hr", "60")}. */
  static Measurement m(String type, String device, String time, String... nameValues) {
    return at(type, device, "patient1", time, null, null, nameValues);
  }

  static Measurement at(
      String type,
      String device,
      String patient,
      String time,
      String ingested,
      String correlationId,
      String... nameValues) {
    List<MeasurementProperty> props = new ArrayList<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      props.add(new MeasurementProperty(nameValues[i], nameValues[i + 1]));
    }
    return new Measurement(
        type,
        Instant.parse(time),
        ingested == null ? null : Instant.parse(ingested),
        device,
        patient,
        null,
        correlationId,
        props);
  }
}
