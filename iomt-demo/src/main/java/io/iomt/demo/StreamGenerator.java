package io.iomt.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Generates the demo's stream of device messages, deterministically from a {@link Plan}: the same
 * plan always gives the same messages, byte for byte. The bundled {@code demo/stream.jsonl} is
 * {@link Plan#BUNDLED}'s output (a test keeps the two equal).
 *
 * <p>Every patient wears a bedside monitor that sends its heart rate every two minutes; the first
 * patients also have a blood-pressure cuff that measures every 5 minutes; the last ones a pulse
 * oximeter that sends its last three 1 Hz SpO₂ readings every 3 s, and every 30 s a pulse reading
 * too, which the sample mapping does not map. Messages are in the order they were sent; their
 * shapes are those the sample device mapping reads ({@code samples/device-mapping.json}), but for
 * one: the first monitor gets a firmware update at the end of the plan, and its next message (the
 * stream's last) names its timestamp {@code "timestamp"} instead of {@code "endDate"}. The sample
 * mapping cannot read it, so the connector dead-letters it: the demo's error to fix in the
 * console's mapping debugger and replay ({@link #NEW_FIRMWARE}).
 */
final class StreamGenerator {

  /**
   * What to generate.
   *
   * @param start the simulated start; the bundled plan starts on the hour, so each oximeter's
   *     readings make exactly one hourly SampledData Observation
   * @param length how long the simulated devices send
   * @param patients patients, each with a bedside monitor ({@code monitor-NN}, {@code patient-NN})
   * @param cuffs blood-pressure cuffs, worn by the first patients ({@code cuff-NN})
   * @param oximeters pulse oximeters, worn by the last patients ({@code oximeter-NN})
   * @param seed seed of the values
   */
  record Plan(Instant start, Duration length, int patients, int cuffs, int oximeters, long seed) {
    static final Plan BUNDLED =
        new Plan(Instant.parse("2026-11-26T08:00:00Z"), Duration.ofHours(1), 10, 4, 2, 20261126L);

    Plan {
      if (cuffs > patients || oximeters > patients) {
        throw new IllegalArgumentException("more cuffs or oximeters than patients");
      }
    }
  }

  static final Duration HEART_RATE_EVERY = Duration.ofMinutes(2);
  static final Duration BLOOD_PRESSURE_EVERY = Duration.ofMinutes(5);
  static final int OXIMETER_READINGS_PER_MESSAGE = 3;
  static final int OXIMETER_MESSAGES_PER_PULSE = 10;

  /** The firmware version the first monitor reports after its update. */
  static final String NEW_FIRMWARE = "2.0.0";

  private static final ObjectMapper JSON = new ObjectMapper();

  private StreamGenerator() {}

  /** The messages of a plan, one compact JSON object each, in the order they were sent. */
  static List<String> messages(Plan plan) {
    Random random = new Random(plan.seed());
    List<Sent> sent = new ArrayList<>();
    for (int p = 1; p <= plan.patients(); p++) {
      heartRates(plan, p, random, sent);
    }
    for (int c = 1; c <= plan.cuffs(); c++) {
      bloodPressures(plan, c, random, sent);
    }
    for (int o = 1; o <= plan.oximeters(); o++) {
      oximetry(plan, o, plan.patients() - plan.oximeters() + o, random, sent);
    }
    sent.sort(Comparator.comparing(Sent::at).thenComparing(Sent::order));
    return sent.stream().map(Sent::json).toList();
  }

  private static void heartRates(Plan plan, int patient, Random random, List<Sent> out) {
    String device = id("monitor", patient);
    int rate = 62 + random.nextInt(25);
    Instant t = plan.start().plusMillis(patient * 1_700L + random.nextInt(1_000));
    for (; t.isBefore(end(plan)); t = t.plus(HEART_RATE_EVERY)) {
      rate = clamp(rate + random.nextInt(5) - 2, 48, 135);
      ObjectNode body = JSON.createObjectNode();
      body.put("deviceId", device);
      body.put("patientId", id("patient", patient));
      body.put("endDate", t.toString());
      body.put("heartRate", rate);
      out.add(new Sent(t, out.size(), body.toString()));
    }
    if (patient == 1) {
      // The same rate again: no draw from the shared random source, so every other message stays
      // what it was before this message was added.
      ObjectNode body = JSON.createObjectNode();
      body.put("deviceId", device);
      body.put("patientId", id("patient", patient));
      body.put("firmware", NEW_FIRMWARE);
      body.put("timestamp", t.toString());
      body.put("heartRate", rate);
      out.add(new Sent(t, out.size(), body.toString()));
    }
  }

  private static void bloodPressures(Plan plan, int patient, Random random, List<Sent> out) {
    String device = id("cuff", patient);
    int systolic = 112 + random.nextInt(25);
    int diastolic = 70 + random.nextInt(15);
    Instant t = plan.start().plusSeconds(30L + patient * 37L).plusMillis(random.nextInt(1_000));
    for (; t.isBefore(end(plan)); t = t.plus(BLOOD_PRESSURE_EVERY)) {
      ObjectNode body = JSON.createObjectNode();
      body.put("deviceId", device);
      body.put("patientId", id("patient", patient));
      body.put("endDate", t.toString());
      body.put("systolic", clamp(systolic + random.nextInt(11) - 5, 85, 190));
      body.put("diastolic", clamp(diastolic + random.nextInt(9) - 4, 45, 115));
      out.add(new Sent(t, out.size(), body.toString()));
    }
  }

  private static void oximetry(Plan plan, int number, int patient, Random random, List<Sent> out) {
    String device = id("oximeter", number);
    int permille = 955 + random.nextInt(30);
    int pulse = 64 + random.nextInt(20);
    // Whole seconds plus less than one: each reading stays in its own one-second SampledData slot.
    Instant first = plan.start().truncatedTo(ChronoUnit.SECONDS);
    long readings = Duration.between(first, end(plan)).toSeconds();
    int offsetMillis = 100 + random.nextInt(800);
    ArrayNode batch = JSON.createArrayNode();
    int messages = 0;
    for (long i = 0; i < readings; i++) {
      Instant t = first.plusSeconds(i).plusMillis(offsetMillis);
      permille = clamp(permille + random.nextInt(7) - 3, 900, 1000);
      ObjectNode reading = batch.addObject();
      reading.put("type", "spo2");
      reading.put("timeMs", t.toEpochMilli());
      reading.put("permille", permille);
      if (batch.size() == OXIMETER_READINGS_PER_MESSAGE || i == readings - 1) {
        if (++messages % OXIMETER_MESSAGES_PER_PULSE == 0) {
          pulse = clamp(pulse + random.nextInt(5) - 2, 45, 140);
          ObjectNode pulseReading = batch.addObject();
          pulseReading.put("type", "pulse");
          pulseReading.put("timeMs", t.toEpochMilli());
          pulseReading.put("bpm", pulse);
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("device", device);
        body.put("patient", id("patient", patient));
        body.set("readings", batch);
        out.add(new Sent(t, out.size(), body.toString()));
        batch = JSON.createArrayNode();
      }
    }
  }

  private static Instant end(Plan plan) {
    return plan.start().plus(plan.length());
  }

  private static String id(String prefix, int number) {
    return String.format("%s-%02d", prefix, number);
  }

  private static int clamp(int value, int min, int max) {
    return Math.max(min, Math.min(max, value));
  }

  /** A message, when it was sent, and its place in generation order (to break ties). */
  private record Sent(Instant at, int order, String json) {}
}
