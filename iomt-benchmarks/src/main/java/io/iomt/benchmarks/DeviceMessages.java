package io.iomt.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The benchmark's input: a pool of realistic ~1 KB bedside-monitor messages (metadata, four
 * readings of which exactly one is a heart rate, strings, numbers, timestamps) with the Event Hubs
 * properties a pipeline would pass alongside, and the two mappings. Device ids, values, timestamps
 * and the position of the heart-rate reading vary across the pool, so nothing is constant.
 */
final class DeviceMessages {
  /** Power of two: the benchmark cycles through the pool with a mask. */
  static final int POOL_SIZE = 16;

  static final String JSONPATH_MAPPING = "mapping-jsonpath.json";
  static final String JMESPATH_MAPPING = "mapping-jmespath.json";

  /** The type name and value name both mappings emit. */
  static final String TYPE_NAME = "heartrate";

  static final String VALUE_NAME = "hr";

  private static final Instant BASE_TIME = Instant.parse("2026-11-26T08:00:00Z");

  private DeviceMessages() {}

  /**
   * One message and what a correct mapping must extract from it.
   *
   * @param body the message body, compact UTF-8 JSON
   * @param properties application properties, as an Event Hubs consumer sees them
   * @param systemProperties system properties, as an Event Hubs consumer sees them
   * @param ingestionTime the enqueued time
   * @param deviceId expected device id
   * @param heartRate expected {@code hr} value, as the measurement stores it
   * @param time expected occurrence time
   */
  record Sample(
      byte[] body,
      Map<String, Object> properties,
      Map<String, Object> systemProperties,
      Instant ingestionTime,
      String deviceId,
      String heartRate,
      Instant time) {}

  /** The pool, deterministic (fixed seed). */
  static List<Sample> pool() {
    ObjectMapper json = new ObjectMapper();
    Random random = new Random(20261126L);
    List<Sample> samples = new ArrayList<>(POOL_SIZE);
    for (int i = 0; i < POOL_SIZE; i++) {
      samples.add(sample(json, random, i));
    }
    return samples;
  }

  private static Sample sample(ObjectMapper json, Random random, int i) {
    String deviceId = String.format("bedside-monitor-%04d", 1000 + random.nextInt(9000));
    Instant sent = BASE_TIME.plus(random.nextInt(86_400_000), ChronoUnit.MILLIS);
    Instant hrTime = sent.minusMillis(200 + random.nextInt(800));
    int heartRate = 55 + random.nextInt(60);

    ObjectNode body = json.createObjectNode();
    body.put(
        "messageId",
        String.format(
            "%08x-%04x-4%03x-a%03x-%012x",
            random.nextInt(),
            random.nextInt(0x10000),
            random.nextInt(0x1000),
            random.nextInt(0x1000),
            random.nextLong() & 0xffffffffffffL));
    body.put("schemaVersion", "2.1");
    body.put("deviceId", deviceId);
    body.put("deviceType", "bedside-monitor");
    body.put("manufacturer", "Contoso Medical Devices");
    body.put("model", "CM-8800");
    body.put("serialNumber", "CM88-" + (100_000 + random.nextInt(900_000)));
    ObjectNode firmware = body.putObject("firmware");
    firmware.put("version", "4.12." + random.nextInt(10));
    firmware.put("build", 41_200 + random.nextInt(100));
    firmware.put("channel", "stable");
    ObjectNode patient = body.putObject("patient");
    patient.put("id", "patient-" + (10_000 + random.nextInt(90_000)));
    patient.put("ward", "ICU-" + (1 + random.nextInt(4)));
    patient.put("bed", 1 + random.nextInt(24));
    ObjectNode battery = body.putObject("battery");
    battery.put("level", Math.round(random.nextDouble() * 100) / 100.0);
    battery.put("charging", random.nextBoolean());
    ObjectNode network = body.putObject("network");
    network.put("type", "wifi");
    network.put("rssi", -40 - random.nextInt(50));
    network.put("ssid", "hospital-clinical");
    body.put("sentAt", sent.toString());
    body.put("sequence", random.nextInt(1_000_000));

    List<ObjectNode> readings = new ArrayList<>(4);
    readings.add(reading(json, "hr", heartRate, "bpm", hrTime, "good", "ecg-lead-II"));
    readings.add(
        reading(
            json,
            "spo2",
            92 + random.nextInt(80) / 10.0,
            "%",
            sent.minusMillis(random.nextInt(1000)),
            "good",
            "finger-clip"));
    readings.add(
        reading(
            json,
            "rr",
            10 + random.nextInt(15),
            "/min",
            sent.minusMillis(random.nextInt(1000)),
            "fair",
            "thoracic-impedance"));
    readings.add(
        reading(
            json,
            "temp",
            36.0 + random.nextInt(25) / 10.0,
            "Cel",
            sent.minusMillis(random.nextInt(1000)),
            "good",
            "skin-probe"));
    ArrayNode array = body.putArray("readings");
    for (int k = 0; k < readings.size(); k++) {
      array.add(readings.get((k + i) % readings.size()));
    }
    body.putArray("alarms");
    body.putArray("tags").add("adult").add("continuous-monitoring");

    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    Instant enqueued = sent.plusMillis(20 + random.nextInt(500));
    Map<String, Object> properties =
        Map.of("content-type", "application/json", "schema", "contoso-cm8800-v2");
    Map<String, Object> systemProperties =
        Map.of(
            "iothub-connection-device-id",
            deviceId,
            "x-opt-enqueued-time",
            enqueued.toString(),
            "x-opt-sequence-number",
            100_000L + i,
            "x-opt-offset",
            Long.toString(4096L * i));
    return new Sample(
        bytes,
        properties,
        systemProperties,
        enqueued,
        deviceId,
        Integer.toString(heartRate),
        hrTime);
  }

  private static ObjectNode reading(
      ObjectMapper json,
      String type,
      double value,
      String unit,
      Instant time,
      String quality,
      String sensor) {
    ObjectNode reading = json.createObjectNode();
    reading.put("type", type);
    if (value == Math.rint(value)) {
      reading.put("value", (int) value);
    } else {
      reading.put("value", value);
    }
    reading.put("unit", unit);
    reading.put("time", time.toString());
    reading.put("quality", quality);
    reading.put("sensor", sensor);
    return reading;
  }

  /** A mapping resource of this package, as bytes. */
  static byte[] resource(String name) {
    try (InputStream in = DeviceMessages.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Missing benchmark resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
