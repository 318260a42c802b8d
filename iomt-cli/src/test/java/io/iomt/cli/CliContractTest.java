package io.iomt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's exit codes and messages, which scripts and checks rely on. */
class CliContractTest {
  private static final String MAPPING =
      """
      {"templateType": "CollectionContent", "template": [
        {"templateType": "JsonPathContent", "template": {
          "typeName": "heartrate", "typeMatchExpression": "$..[?(@heartRate)]",
          "deviceIdExpression": "$.deviceId", "timestampExpression": "$.time",
          "values": [{"valueName": "hr", "valueExpression": "$.heartRate", "required": true}]}}]}
      """;

  @TempDir Path dir;

  private Path file(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  private CliRun normalize(String input) throws Exception {
    return CliRun.of(
        "normalize",
        "--device-mapping",
        file("m.json", MAPPING).toString(),
        "--input",
        file("in.json", input).toString());
  }

  @Test
  void aMatchingEventPrintsItsMeasurementsAndExitsZero() throws Exception {
    CliRun run =
        normalize(
            "{\"Body\":{\"deviceId\":\"d1\",\"time\":\"2021-07-07T17:00:00Z\",\"heartRate\":88}}");
    assertThat(run.exitCode()).isZero();
    assertThat(new ObjectMapper().readTree(run.out()).toString())
        .isEqualTo(
            "[{\"type\":\"heartrate\",\"occurrenceTimeUtc\":\"2021-07-07T17:00:00Z\","
                + "\"deviceId\":\"d1\",\"properties\":[{\"name\":\"hr\",\"value\":\"88\"}]}]");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void anEventNothingMatchesPrintsAnEmptyArrayAndExitsZero() throws Exception {
    CliRun run = normalize("{\"Body\":{\"spo2\":97}}");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().trim()).isEqualTo("[ ]");
  }

  @Test
  void anEventViolatingTheMappingExitsOneNamingErrorFieldAndExpression() throws Exception {
    CliRun run =
        normalize(
            "[{\"Body\":{\"deviceId\":\"d1\",\"time\":\"2021-07-07T17:00:00Z\",\"heartRate\":88}},"
                + " {\"Body\":{\"time\":\"2021-07-07T17:00:00Z\",\"heartRate\":90}}]");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo(
            "event 1: IncompatibleDataException: Unable to extract required value for"
                + " [DeviceIdExpression] using $.deviceId\n");
    assertThat(run.out()).contains("\"value\": \"88\"");
  }

  @Test
  void anInputThatIsNotJsonExitsOneWithAnInvalidDataFormatError() throws Exception {
    CliRun run = normalize("heartRate=88");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("event 0: InvalidDataFormatException: The message is not valid JSON");
  }

  @Test
  void anEventOverTheMaximumSizeExitsOneAndNamesTheLimit() throws Exception {
    CliRun run =
        CliRun.of(
            "normalize",
            "--max-message-bytes",
            "64",
            "--device-mapping",
            file("m.json", MAPPING).toString(),
            "--input",
            file(
                    "in.json",
                    "{\"Body\":{\"deviceId\":\"d1\",\"time\":\"2021-07-07T17:00:00Z\",\"heartRate\":88,"
                        + "\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxx\"}}")
                .toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("larger than the maximum of 64 bytes");
  }

  @Test
  void anInvalidMappingExitsTwoWithOneLinePerProblem() throws Exception {
    Path mapping =
        file(
            "bad.json",
            "{\"templateType\": \"CollectionContent\", \"template\": [\n"
                + "  {\"templateType\": \"JsonPathContent\", \"template\": {\"typeName\": \"x\"}}]}");
    CliRun run =
        CliRun.of(
            "normalize",
            "--device-mapping",
            mapping.toString(),
            "--input",
            file("i.json", "{}").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines())
        .containsExactly(
            mapping
                + ":2:51: Missing required property 'typeMatchExpression' in a JsonPathContent template",
            mapping
                + ":2:51: Missing required property 'deviceIdExpression' in a JsonPathContent template",
            mapping
                + ":2:51: Missing required property 'timestampExpression' in a JsonPathContent template");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void wrongUsageExitsTwo() throws Exception {
    assertThat(CliRun.of().exitCode()).isEqualTo(2);
    assertThat(CliRun.of("frobnicate").exitCode()).isEqualTo(2);
    assertThat(CliRun.of("normalize", "--input", "x").err()).contains("--device-mapping");
    CliRun missing =
        CliRun.of(
            "normalize", "--device-mapping", dir.resolve("nope.json").toString(), "--input", "x");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err())
        .startsWith("iomt: --device-mapping: no such file: ")
        .doesNotContain("Usage");
  }

  @Test
  void validateExitsZeroForAValidMappingAndTwoWithEveryProblemOtherwise() throws Exception {
    CliRun valid = CliRun.of("validate", "--device-mapping", file("m.json", MAPPING).toString());
    assertThat(valid.exitCode()).isZero();
    assertThat(valid.out()).contains("valid");

    Path bad =
        file(
            "bad.json",
            "{\"templateType\": \"CollectionContent\", \"template\": [\n"
                + "  {\"templateType\": \"Nope\", \"template\": {}},\n"
                + "  {\"templateType\": \"JsonPathContent\", \"template\": {\"typeName\": \"x\", \"extra\": 1,"
                + " \"typeMatchExpression\": \"$.a\", \"deviceIdExpression\": \"$.d\", \"timestampExpression\": \"$.t\"}}]}");
    CliRun invalid = CliRun.of("validate", "--device-mapping", bad.toString());
    assertThat(invalid.exitCode()).isEqualTo(2);
    assertThat(invalid.err().lines())
        .containsExactly(
            bad
                + ":2:20: Unknown templateType 'Nope'; expected one of CollectionContent, JsonPathContent,"
                + " IotJsonPathContent, IotCentralJsonPathContent, CalculatedContent",
            bad + ":3:69: Unknown property 'extra' in a JsonPathContent template");
  }

  @Test
  void validateChecksTheFhirMappingAndHowItFitsTheDeviceMapping() throws Exception {
    Path fhir =
        file(
            "fhir.json",
            "{\"templateType\": \"CollectionFhir\", \"template\": [\n"
                + "  {\"templateType\": \"CodeValueFhir\", \"template\": {\"typeName\": \"spo2\","
                + " \"codes\": [{\"code\": \"59408-5\"}]}}]}");
    CliRun run =
        CliRun.of(
            "validate",
            "--device-mapping",
            file("m.json", MAPPING).toString(),
            "--fhir-mapping",
            fhir.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines())
        .containsExactly(
            dir.resolve("m.json")
                + ":3:17: Device type 'heartrate' has no CodeValueFhir template in the FHIR mapping;"
                + " its measurements would fail with TemplateNotFoundException",
            fhir
                + ":2:62: warning: FHIR template 'spo2' is fed by no device template; it will never"
                + " produce an Observation");
  }
}
