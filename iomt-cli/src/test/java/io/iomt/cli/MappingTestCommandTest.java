package io.iomt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code iomt mapping test} offline: the mapping debugger's output contract. */
class MappingTestCommandTest {
  static final Path SAMPLES = Path.of("").toAbsolutePath().getParent().resolve("samples");

  @TempDir Path dir;

  /** {@code iomt mapping test} with the sample device mapping. */
  private static JsonNode mappingTest(int expectedExit, String fhirMapping, String events)
      throws Exception {
    return run(
        expectedExit,
        "mapping",
        "test",
        "--device-mapping",
        SAMPLES.resolve("device-mapping.json").toString(),
        "--fhir-mapping",
        fhirMapping,
        "--input",
        events);
  }

  private static JsonNode run(int expectedExit, String... args) throws Exception {
    CliRun run = CliRun.of(args);
    assertThat(run.exitCode()).as(run.err()).isEqualTo(expectedExit);
    return new ObjectMapper().readTree(run.out());
  }

  @Test
  void theSamplesYieldMeasurementsAndTheObservationsThatWouldBeWritten() throws Exception {
    JsonNode out =
        mappingTest(
            0,
            SAMPLES.resolve("fhir-mapping.json").toString(),
            SAMPLES.resolve("events.json").toString());
    assertThat(out.path("measurements")).hasSize(4);
    assertThat(out.path("observations")).hasSize(3);
    assertThat(out.path("errors")).isEmpty();
    assertThat(out.path("warnings")).isEmpty();
    assertThat(out.path("observations").findValuesAsText("resourceType"))
        .containsOnly("Observation");
    JsonNode spo2 = out.path("observations").get(2);
    assertThat(spo2.path("valueSampledData").path("data").asText()).startsWith("97.5 96.8 E");
    assertThat(spo2.path("subject").path("reference").asText()).startsWith("Patient/");
    assertThat(spo2.path("device").path("reference").asText()).startsWith("Device/");
  }

  @Test
  void anInvalidFhirMappingIsReportedWithLineAndColumnAndExitsTwo() throws Exception {
    Path fhir =
        Files.writeString(
            dir.resolve("fhir.json"),
            "{\"templateType\": \"CollectionFhir\", \"template\": [\n"
                + "  {\"templateType\": \"CodeValueFhir\", \"template\": {\"typeName\": \"heartrate\"}}]}");
    JsonNode out = mappingTest(2, fhir.toString(), SAMPLES.resolve("events.json").toString());
    assertThat(out.path("errors"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.path("error").asText()).isEqualTo("InvalidTemplateException");
              assertThat(e.path("line").asInt()).isEqualTo(2);
              assertThat(e.path("column").asInt()).isEqualTo(49);
              assertThat(e.path("message").asText()).contains("'codes'");
            });
    assertThat(out.path("measurements")).isEmpty();
  }

  @Test
  void dataErrorsAreListedWithTheirNamesWhileGoodDataStillShows() throws Exception {
    Path events =
        Files.writeString(
            dir.resolve("events.json"),
            "[{\"Body\": {\"deviceId\": \"m1\", \"endDate\": \"2021-07-07T17:00:00Z\", \"heartRate\": 70}},"
                + " {\"Body\": {\"deviceId\": \"m1\", \"endDate\": \"not a time\", \"heartRate\": 71}}]");
    JsonNode out =
        mappingTest(1, SAMPLES.resolve("fhir-mapping.json").toString(), events.toString());
    assertThat(out.path("observations")).hasSize(1);
    assertThat(out.path("errors").findValuesAsText("error"))
        .containsExactly("InvalidDataFormatException");
    assertThat(out.path("errors").get(0).path("source").asText()).isEqualTo("event 1");
  }

  @Test
  void aDeviceTypeWithoutAFhirTemplateExitsTwoAsValidateDoesButStillShowsTheData()
      throws Exception {
    Path fhir =
        Files.writeString(
            dir.resolve("fhir.json"),
            "{\"templateType\": \"CollectionFhir\", \"template\": [\n"
                + "  {\"templateType\": \"CodeValueFhir\", \"template\": {\"typeName\": \"heartrate\","
                + " \"codes\": [{\"code\": \"8867-4\"}],"
                + " \"value\": {\"valueType\": \"Quantity\", \"valueName\": \"hr\"}}}]}");
    JsonNode out = mappingTest(2, fhir.toString(), SAMPLES.resolve("events.json").toString());
    assertThat(out.path("observations")).hasSize(1);
    assertThat(out.path("errors").findValuesAsText("error"))
        .contains("InvalidTemplateException", "TemplateNotFoundException");
  }
}
