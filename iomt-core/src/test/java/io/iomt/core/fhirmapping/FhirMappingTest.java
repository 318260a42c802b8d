package io.iomt.core.fhirmapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.core.error.TemplateProblem;
import io.iomt.core.mapping.DeviceMapping;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FhirMappingTest {
  static final Path SAMPLES = Path.of("").toAbsolutePath().getParent().resolve("samples");

  static FhirMapping sample() throws Exception {
    return FhirMapping.parse(Files.readAllBytes(SAMPLES.resolve("fhir-mapping.json")));
  }

  private static List<String> problems(String json) {
    return FhirMapping.validate(json.getBytes(StandardCharsets.UTF_8)).stream()
        .map(TemplateProblem::toString)
        .toList();
  }

  @Test
  void theSampleMappingLoadsWithEveryValueTypeAndPeriodSpelling() throws Exception {
    FhirMapping mapping = sample();
    assertThat(mapping.templates())
        .extracting(CodeValueTemplate::typeName)
        .containsExactly("heartrate", "bloodpressure", "spo2");
    CodeValueTemplate hr = mapping.template("HeartRate").orElseThrow();
    assertThat(hr.periodInterval()).isEqualTo(PeriodInterval.SINGLE);
    assertThat(hr.value())
        .isEqualTo(
            new FhirValue.Quantity("hr", "beats/minute", "http://unitsofmeasure.org", "/min"));
    assertThat(hr.category())
        .singleElement()
        .extracting(FhirCategory::text)
        .isEqualTo("Vital Signs");
    assertThat(mapping.template("bloodpressure").orElseThrow().valueNames())
        .containsExactly("systolic", "diastolic");
    assertThat(mapping.template("spo2").orElseThrow().value())
        .isEqualTo(new FhirValue.SampledData("spo2", 1000, "%"));
  }

  @Test
  void periodIntervalsAcceptNamesAndNumbers() {
    assertThat(PeriodInterval.parse("Hourly")).isEqualTo(PeriodInterval.HOURLY);
    assertThat(PeriodInterval.parse("60")).isEqualTo(PeriodInterval.HOURLY);
    assertThat(PeriodInterval.parse("daily")).isEqualTo(PeriodInterval.DAILY);
    assertThat(PeriodInterval.parse("1440")).isEqualTo(PeriodInterval.DAILY);
    assertThat(PeriodInterval.parse("CorrelationId")).isEqualTo(PeriodInterval.CORRELATION_ID);
    assertThat(PeriodInterval.parse("-1")).isEqualTo(PeriodInterval.CORRELATION_ID);
    assertThat(PeriodInterval.parse("0")).isEqualTo(PeriodInterval.SINGLE);
    assertThat(PeriodInterval.parse("weekly")).isNull();
  }

  @Test
  void everyProblemIsReportedAtOnceWithLineAndColumn() {
    String mapping =
        """
        {"templateType": "CollectionFhir", "template": [
          {"templateType": "CodeValueFhir", "template": {
            "typeName": "hr", "periodInterval": "Weekly",
            "value": {"valueType": "Decimal", "valueName": "hr"}}},
          {"templateType": "CodeValueFhir", "template": {
            "typeName": "HR", "codes": [{"system": "http://loinc.org"}],
            "value": {"valueType": "SampledData", "valueName": "hr", "unit": "/min"},
            "colour": "red"}}]}
        """;
    assertThat(problems(mapping))
        .containsExactly(
            "2:49: Missing required property 'codes' in a CodeValueFhir template",
            "3:41: periodInterval must be Single (0), Hourly (60), Daily (1440) or CorrelationId (-1),"
                + " not \"Weekly\"",
            "4:28: Unknown valueType 'Decimal'; expected SampledData, Quantity, String or"
                + " CodeableConcept",
            "6:17: Duplicate typeName 'HR': another CodeValueFhir template already handles 'hr'"
                + " (type names match case-insensitively)",
            "6:33: Missing required property 'code' in a code",
            "7:14: Missing required property 'defaultPeriod' in a value",
            "8:5: Unknown property 'colour' in a CodeValueFhir template");
  }

  @Test
  void theCrossCheckFindsUnmappedTypesUnusedValuesAndUnfedTemplates() throws Exception {
    DeviceMapping device =
        DeviceMapping.parse(
            """
            {"templateType": "CollectionContent", "template": [
              {"templateType": "JsonPathContent", "template": {
                "typeName": "heartrate", "typeMatchExpression": "$..[?(@hr)]",
                "deviceIdExpression": "$.id", "timestampExpression": "$.t",
                "values": [{"valueName": "hr", "valueExpression": "$.hr"},
                           {"valueName": "rr", "valueExpression": "$.rr"}]}},
              {"templateType": "JsonPathContent", "template": {
                "typeName": "temperature", "typeMatchExpression": "$..[?(@temp)]",
                "deviceIdExpression": "$.id", "timestampExpression": "$.t",
                "values": [{"valueName": "temp", "valueExpression": "$.temp"}]}}]}
            """);
    List<String> findings =
        MappingCrossCheck.check(device, sample()).stream()
            .map(f -> (f.inDeviceMapping() ? "device " : "fhir ") + f.problem())
            .toList();
    assertThat(findings)
        .containsExactly(
            "device 3:17: warning: Value 'rr' of type 'heartrate' is never used by the FHIR"
                + " template; it will not reach FHIR",
            "device 8:17: Device type 'temperature' has no CodeValueFhir template in the FHIR"
                + " mapping; its measurements would fail with TemplateNotFoundException",
            "fhir 36:21: warning: FHIR template 'bloodpressure' is fed by no device template; it"
                + " will never produce an Observation",
            "fhir 72:21: warning: FHIR template 'spo2' is fed by no device template; it will never"
                + " produce an Observation");
  }

  @Test
  void aDeviceTypeWithoutTemplateIsFoundWhileTheFhirMappingHasOtherErrors() {
    DeviceMapping device =
        DeviceMapping.parse(
            """
            {"templateType": "CollectionContent", "template": [
              {"templateType": "JsonPathContent", "template": {
                "typeName": "HeartRate", "typeMatchExpression": "$..[?(@hr)]",
                "deviceIdExpression": "$.id", "timestampExpression": "$.t",
                "values": [{"valueName": "hr", "valueExpression": "$.hr"}]}},
              {"templateType": "JsonPathContent", "template": {
                "typeName": "temperature", "typeMatchExpression": "$..[?(@temp)]",
                "deviceIdExpression": "$.id", "timestampExpression": "$.t",
                "values": [{"valueName": "temp", "valueExpression": "$.temp"}]}}]}
            """);
    // heartrate's template is broken (no codes), which is an error of the FHIR mapping; it still
    // declares the type, so only temperature lacks a template.
    byte[] fhir =
        """
        {"templateType": "CollectionFhir", "template": [
          {"templateType": "CodeValueFhir", "template": {"typeName": "heartrate",
            "value": {"valueType": "Quantity", "valueName": "hr"}}}]}
        """
            .getBytes(StandardCharsets.UTF_8);
    assertThat(FhirMapping.validate(fhir)).anyMatch(TemplateProblem::isError);

    assertThat(FhirMapping.declaredTypeNames(fhir)).hasValue(java.util.Set.of("heartrate"));
    assertThat(
            MappingCrossCheck.untemplatedTypes(device, FhirMapping.declaredTypeNames(fhir).get())
                .stream()
                .map(f -> (f.inDeviceMapping() ? "device " : "fhir ") + f.problem())
                .toList())
        .containsExactly(
            "device 7:17: Device type 'temperature' has no CodeValueFhir template in the FHIR"
                + " mapping; its measurements would fail with TemplateNotFoundException");
    assertThat(FhirMapping.declaredTypeNames("not json".getBytes(StandardCharsets.UTF_8)))
        .as("nothing is known of a file that is not JSON")
        .isEmpty();
  }
}
