package io.iomt.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.measurement.MeasurementJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Measurements on the normalized topic: the same JSON as {@code iomt normalize} prints. */
public final class MeasurementCodec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MeasurementCodec() {}

  public static byte[] encode(Measurement m) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      MeasurementJson.write(g, m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * @throws IllegalArgumentException when the bytes are not a measurement
   */
  public static Measurement decode(byte[] bytes) {
    try {
      return MeasurementJson.read(JSON.readTree(bytes));
    } catch (IOException e) {
      throw new IllegalArgumentException("Not a measurement: " + e.getMessage(), e);
    }
  }
}
