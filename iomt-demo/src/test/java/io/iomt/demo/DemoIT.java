package io.iomt.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo in process, on a temporary data directory with a five-minute stream of 4 devices: the
 * final line's numbers are checked against an independent read of the FHIR server (HAPI's own
 * model), and against numbers worked out by hand from the stream's plan. A second run on the same
 * data directory finds the first run's FHIR data and Kafka offsets, and adds nothing.
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
  // readings, which make one hourly SampledData Observation with 300 data points.
  private static final int MESSAGES = 2 * 3 + 1 + 100;
  private static final int MEASUREMENTS = 2 * 3 + 1 + 300;
  private static final int OBSERVATIONS = 2 * 3 + 1 + 1;

  private final IParser parser = FhirContext.forR4Cached().newJsonParser();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theFinalLineSaysWhatFhirHoldsAndASecondRunOnTheSameDataAddsNothing(@TempDir Path dataDir)
      throws Exception {
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
    }
  }

  private static Demo demo(Path dataDir, DemoStream stream) {
    return new Demo(
        new Demo.Options(dataDir, stream, Duration.ofSeconds(90)),
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
