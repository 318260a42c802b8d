package io.iomt.core.measurement;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

  /**
   * Reads the JSON form back (the normalized topic's record value).
   *
   * @throws IllegalArgumentException when required fields are missing or unreadable
   */
  public static Measurement read(JsonNode n) {
    String type = n.path("type").asText(null);
    String device = n.path("deviceId").asText(null);
    String time = n.path("occurrenceTimeUtc").asText(null);
    if (type == null || device == null || time == null) {
      throw new IllegalArgumentException(
          "A measurement needs type, deviceId and occurrenceTimeUtc");
    }
    List<MeasurementProperty> properties = new ArrayList<>();
    for (JsonNode p : n.path("properties")) {
      properties.add(new MeasurementProperty(p.path("name").asText(), p.path("value").asText()));
    }
    return new Measurement(
        type,
        instant(time),
        n.hasNonNull("ingestionTimeUtc") ? instant(n.get("ingestionTimeUtc").asText()) : null,
        device,
        text(n, "patientId"),
        text(n, "encounterId"),
        text(n, "correlationId"),
        properties);
  }

  private static Instant instant(String text) {
    return Timestamps.parse(text)
        .orElseThrow(() -> new IllegalArgumentException("Not a timestamp: " + text));
  }

  private static String text(JsonNode n, String field) {
    return n.hasNonNull(field) ? n.get(field).asText() : null;
  }

  private static void optional(JsonGenerator g, String name, String value) throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
  }
}
