package io.iomt.core.measurement;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * The JSON form of a measurement, as the CLI and the mapping debugger print it: camelCase, nulls
 * omitted, times as {@link Timestamps#format}, values as strings.
 */
public final class MeasurementJson {
  private MeasurementJson() {}

  public static void write(JsonGenerator g, Measurement m) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", m.type());
    g.writeStringField("occurrenceTimeUtc", Timestamps.format(m.occurrenceTimeUtc()));
    if (m.ingestionTimeUtc() != null) {
      g.writeStringField("ingestionTimeUtc", Timestamps.format(m.ingestionTimeUtc()));
    }
    g.writeStringField("deviceId", m.deviceId());
    optional(g, "patientId", m.patientId());
    optional(g, "encounterId", m.encounterId());
    optional(g, "correlationId", m.correlationId());
    g.writeArrayFieldStart("properties");
    for (MeasurementProperty p : m.properties()) {
      g.writeStartObject();
      g.writeStringField("name", p.name());
      g.writeStringField("value", p.value());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void optional(JsonGenerator g, String name, String value) throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
  }
}
