package io.iomt.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo in process, on a temporary data directory with a five-minute stream of 4 devices: the
 * final line's numbers are checked against an independent read of the FHIR server (HAPI's own
 * model), and against numbers worked out by hand from the stream's plan; the monitor on new
 * firmware's message is on the error topic with MedTech's error. A second run on the same data
 * directory finds the first run's FHIR data, Kafka offsets and management resources, and adds
 * nothing; it then serves as {@code --keep-running} does, and what it prints works as printed: the
 * curl line's request and a Kafka producer on the printed broker and topic each make an
 * Observation, and a fixed device mapping saved with the printed management key reads the
 * dead-lettered message.
 */
class DemoIT {

  private static final Pattern FINAL_LINE =
      Pattern.compile(
          "demo: (\\d+) messages, (\\d+) measurements, (\\d+) observations in FHIR at (\\S+)");

  /** 2 patients with monitors, 1 with a cuff, 1 with an oximeter, for five minutes. */
  private static final StreamGenerator.Plan FIVE_MINUTES =
      new StreamGenerator.Plan(
          Instant.parse("2026-11-26T08:00:00Z"), Duration.ofMinutes(5), 2, 1, 1, 7L);

  // Heart rate every 2 minutes: 3 per monitor; one blood pressure; 100 oximeter messages of 3
  // readings, which make one hourly SampledData Observation with 300 data points; and the first
  // monitor's message on new firmware, which is dead-lettered.
  private static final int MESSAGES = 2 * 3 + 1 + 100 + 1;
  private static final int MEASUREMENTS = 2 * 3 + 1 + 300;
  private static final int OBSERVATIONS = 2 * 3 + 1 + 1;

  private final IParser parser = FhirContext.forR4Cached().newJsonParser();
  private final HttpClient http = HttpClient.newHttpClient();

  private static final Pattern CURL =
      Pattern.compile(
          "  curl -H 'X-API-Key: (\\S+)' -H 'Content-Type: application/json' -d '(\\{.+})'"
              + " (http://127\\.0\\.0\\.1:\\d+/ingest/demo-ward)");
  private static final Pattern KCAT =
      Pattern.compile("  echo '(\\{.+})' \\| kcat -P -b (127\\.0\\.0\\.1:\\d+) -t (\\S+)");
  private static final Pattern CONSOLE =
      Pattern.compile("demo: the console: (http://127\\.0\\.0\\.1:\\d+)/console/");
  private static final Pattern KEY =
      Pattern.compile("demo: {3}sign in with the management API key (\\S+) .*");

  @Test
  void theFinalLineSaysWhatFhirHoldsTheMalformedMessageIsDeadLetteredAndAReRunAddsNothingAndServes(
      @TempDir Path dataDir) throws Exception {
    DemoStream stream = new DemoStream("test stream", StreamGenerator.messages(FIVE_MINUTES));

    String firstLine;
    try (Demo demo = demo(dataDir, stream)) {
      Demo.Result result = demo.run();
      firstLine = finalLine(result);
      Matcher line = FINAL_LINE.matcher(firstLine);
      assertThat(line.matches()).as(firstLine).isTrue();
      String url = line.group(4);
      int[] inFhir = observationsAndMeasurements(url);

      assertThat(url).isEqualTo(result.fhirUrl()).startsWith("http://127.0.0.1:");
      assertThat(Integer.parseInt(line.group(1))).isEqualTo(MESSAGES);
      assertThat(Integer.parseInt(line.group(2))).isEqualTo(inFhir[1]).isEqualTo(MEASUREMENTS);
      assertThat(Integer.parseInt(line.group(3))).isEqualTo(inFhir[0]).isEqualTo(OBSERVATIONS);
      assertThat(result.tally().byType())
          .containsEntry("heartrate", new TypeCount(6, 6))
          .containsEntry("bloodpressure", new TypeCount(1, 1))
          .containsEntry("spo2", new TypeCount(1, 300));
      assertThat(result.heldBefore()).isZero();
      assertNewFirmwareDeadLetter(result);
    }
    assertThat(dataDir.resolve("fhir/hapi-fhir.mv.db")).isRegularFile();
    assertThat(dataDir.resolve("kafka")).isDirectory();

    try (Demo again = demo(dataDir, stream)) {
      Demo.Result result = again.run();

      assertThat(finalLine(result))
          .isEqualTo(firstLine.replaceFirst(" at \\S+$", " at " + result.fhirUrl()));
      assertThat(result.heldBefore()).isEqualTo(OBSERVATIONS);
      assertThat(observationsAndMeasurements(result.fhirUrl()))
          .containsExactly(OBSERVATIONS, MEASUREMENTS);
      assertNewFirmwareDeadLetter(result);

      List<String> printed = printedAccess(again);
      Matcher curl = find(CURL, printed);
      Matcher kcat = find(KCAT, printed);
      String serviceUrl = find(CONSOLE, printed).group(1);
      String managementKey = find(KEY, printed).group(1);

      // The curl line's request, as curl sends it: one more Observation.
      assertThat(ingest(curl.group(3), curl.group(1), curl.group(2)).statusCode()).isEqualTo(202);
      assertThat(awaitObservations(result.fhirUrl(), OBSERVATIONS + 1)).isEqualTo(OBSERVATIONS + 1);

      // The kcat line's message from a Kafka producer on the printed broker and topic: one more.
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", kcat.group(2)),
              new StringSerializer(),
              new StringSerializer())) {
        producer.send(new ProducerRecord<>(kcat.group(3), kcat.group(1))).get();
      }
      assertThat(awaitObservations(result.fhirUrl(), OBSERVATIONS + 2)).isEqualTo(OBSERVATIONS + 2);

      // The fix, saved with the printed management key as the console saves it (a live swap);
      // the dead letter replayed through the console's API then makes its Observation, and a
      // second replay of it adds none.
      String bundled =
          Files.readString(dataDir.resolve("mappings/device-mapping.json"), StandardCharsets.UTF_8);
      new ManagementClient(URI.create(serviceUrl), managementKey)
          .putAndAwait(
              DemoConnector.IOT_CONNECTOR_ID,
              DemoConnector.iotConnector(
                  new ObjectMapper().readTree(NewFirmwareTest.fixed(bundled))),
              Duration.ofSeconds(90));
      assertThat(replay(serviceUrl, managementKey)).isEqualTo("[processed]");
      assertThat(awaitObservations(result.fhirUrl(), OBSERVATIONS + 3)).isEqualTo(OBSERVATIONS + 3);
      assertThat(replay(serviceUrl, managementKey)).isEqualTo("[processed]");
      assertThat(observationsAndMeasurements(result.fhirUrl())[0]).isEqualTo(OBSERVATIONS + 3);
    }
  }

  /**
   * Replays the connector's IncompatibleDataException dead letters as the console's Replay button
   * does, and waits (up to 90 s) until the replay's status is done; returns its items' distinct
   * statuses.
   */
  private String replay(String serviceUrl, String managementKey) throws Exception {
    String deadLetters =
        serviceUrl + "/api/console/connectors/" + DemoConnector.NAME + "/dead-letters";
    HttpResponse<String> started =
        http.send(
            HttpRequest.newBuilder(URI.create(deadLetters + "/replay"))
                .header("X-API-Key", managementKey)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"filter\":{\"error\":\"IncompatibleDataException\"}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    ObjectMapper json = new ObjectMapper();
    String id = json.readTree(started.body()).path("replay").asText();
    // One dead letter per run of the demo (this data directory saw two runs): the same message.
    assertThat(json.readTree(started.body()).path("replayed")).hasSize(2);
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      HttpResponse<String> status =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          deadLetters
                              + "/replays/"
                              + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8)))
                  .header("X-API-Key", managementKey)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
      var answer = json.readTree(status.body());
      if (answer.path("done").asBoolean() || System.nanoTime() > deadline) {
        return answer.path("items").findValuesAsText("status").stream()
            .distinct()
            .toList()
            .toString();
      }
      Thread.sleep(500);
    }
  }

  /** The run dead-lettered exactly the monitor on new firmware's message, with MedTech's error. */
  private static void assertNewFirmwareDeadLetter(Demo.Result result) {
    assertThat(result.deadLetters())
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.error()).isEqualTo("IncompatibleDataException");
              assertThat(letter.stage()).isEqualTo("Normalization");
              assertThat(letter.message())
                  .isEqualTo(
                      "Unable to extract required value for [TimestampExpression] using"
                          + " $.matchedToken.endDate");
              assertThat(letter.body()).contains("\"firmware\":\"2.0.0\"", "\"timestamp\":");
            });
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Summary.print(result, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains(
            "demo: dead letters: 1 (IncompatibleDataException: Unable to extract required value"
                + " for [")
        .contains("); fix and replay it in the console");
  }

  private static List<String> printedAccess(Demo demo) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    demo.access().print(new PrintStream(bytes, true, StandardCharsets.UTF_8), Instant.now());
    String printed = bytes.toString(StandardCharsets.UTF_8);
    System.out.print(printed);
    return printed.lines().toList();
  }

  private static Matcher find(Pattern pattern, List<String> lines) {
    for (String line : lines) {
      Matcher m = pattern.matcher(line);
      if (m.matches()) {
        return m;
      }
    }
    throw new AssertionError("no line matches " + pattern + " in " + lines);
  }

  private HttpResponse<String> ingest(String url, String key, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("X-API-Key", key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Waits (up to 90 s) until the server holds {@code count} Observations; returns how many. */
  private int awaitObservations(String baseUrl, int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    int held = observationsAndMeasurements(baseUrl)[0];
    while (held < count && System.nanoTime() < deadline) {
      Thread.sleep(250);
      held = observationsAndMeasurements(baseUrl)[0];
    }
    return held;
  }

  private static Demo demo(Path dataDir, DemoStream stream) {
    return new Demo(
        new Demo.Options(dataDir, stream, Duration.ofSeconds(90), 0),
        new PrintStream(System.out, true, StandardCharsets.UTF_8),
        false);
  }

  /** The summary as the demo prints it; its last line. */
  private static String finalLine(Demo.Result result) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Summary.print(result, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String summary = bytes.toString(StandardCharsets.UTF_8);
    System.out.print(summary);
    List<String> lines = summary.lines().toList();
    return lines.get(lines.size() - 1);
  }

  /** Every Observation on the server, read with HAPI's model: {observations, measurements}. */
  private int[] observationsAndMeasurements(String baseUrl)
      throws IOException, InterruptedException {
    int observations = 0;
    int measurements = 0;
    String url = baseUrl + "/Observation?_count=50";
    while (url != null) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      Bundle page = parser.parseResource(Bundle.class, response.body());
      for (Bundle.BundleEntryComponent entry : page.getEntry()) {
        Observation observation = (Observation) entry.getResource();
        observations++;
        if (observation.hasValueSampledData()) {
          measurements +=
              (int)
                  Arrays.stream(observation.getValueSampledData().getData().trim().split("\\s+"))
                      .filter(point -> !point.equals("E"))
                      .count();
        } else if (observation.hasValue() || observation.hasComponent()) {
          measurements++;
        }
      }
      url = page.getLink("next") == null ? null : page.getLink("next").getUrl();
    }
    return new int[] {observations, measurements};
  }
}
