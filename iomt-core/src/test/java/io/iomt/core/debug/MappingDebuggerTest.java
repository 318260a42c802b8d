package io.iomt.core.debug;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.envelope.MessageLimits;
import io.iomt.core.error.TemplateProblem;
import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.mapping.DeviceMapping;
import io.iomt.core.observation.ObservationFactory;
import io.iomt.core.observation.ResourceIds;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

class MappingDebuggerTest {
  static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");

  /** Heart rate from the body; the device id from an application property, as a hub sets it. */
  static final String DEVICE =
      """
      {"templateType": "CollectionContent", "template": [
        {"templateType": "CalculatedContent", "template": {
          "typeName": "heartrate",
          "typeMatchExpression": "$..[?(@hr)]",
          "deviceIdExpression": "$.Properties.device",
          "timestampExpression": "$.matchedToken.time",
          "values": [{"required": true, "valueExpression": "$.matchedToken.hr", "valueName": "hr"}]}},
        {"templateType": "CalculatedContent", "template": {
          "typeName": "steps",
          "typeMatchExpression": "$..[?(@steps)]",
          "deviceIdExpression": "$.Properties.device",
          "timestampExpression": "$.matchedToken.time",
          "values": [{"required": true, "valueExpression": "$.matchedToken.steps", "valueName": "steps"}]}}
      ]}
      """;

  static final String FHIR =
      """
      {"templateType": "CollectionFhir", "template": [
        {"templateType": "CodeValueFhir", "template": {
          "typeName": "heartrate", "periodInterval": 60,
          "codes": [{"code": "8867-4", "system": "http://loinc.org"}],
          "value": {"valueType": "SampledData", "valueName": "hr", "defaultPeriod": 1000}}}
      ]}
      """;

  /** A FHIR template without its required 'codes': an error at the template's line. */
  static final String BROKEN_FHIR =
      """
      {"templateType": "CollectionFhir", "template": [
        {"templateType": "CodeValueFhir", "template": {"typeName": "heartrate"}}]}
      """;

  final MappingDebugger debugger =
      new MappingDebugger(
          new EnvelopeReader(MessageLimits.DEFAULTS),
          new ObservationFactory(Clock.fixed(NOW, ZoneOffset.UTC)));

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static MappingDebugger.Message message(String body, String device) {
    return new MappingDebugger.Message(utf8(body), Map.of("device", device), null);
  }

  @Test
  void validationReportsExactlyTheProblemsTheMappingsOwnValidationFinds() {
    MappingValidation v = MappingDebugger.validate(utf8(DEVICE), utf8(BROKEN_FHIR));

    assertThat(v.device().valid()).isTrue();
    assertThat(v.device().problems()).isEqualTo(DeviceMapping.validate(utf8(DEVICE)));
    assertThat(v.fhir().valid()).isFalse();
    assertThat(v.fhir().problems())
        .isEqualTo(FhirMapping.validate(utf8(BROKEN_FHIR)))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.isError()).isTrue();
              assertThat(p.line()).isEqualTo(2);
              assertThat(p.message()).contains("'codes'");
            });
    assertThat(v.crossCheck()).as("no cross-check while a mapping has errors").isEmpty();
    assertThat(v.valid()).isFalse();
  }

  @Test
  void aDeviceTypeWithoutAFhirTemplateIsACrossCheckErrorAtTheDeviceTemplatesTypeName() {
    MappingValidation v = MappingDebugger.validate(utf8(DEVICE), utf8(FHIR));

    assertThat(v.bothLoaded()).isTrue();
    assertThat(v.mappingsDisagree()).isTrue();
    assertThat(v.valid()).isFalse();
    assertThat(v.crossCheck())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.inDeviceMapping()).isTrue();
              assertThat(f.problem().isError()).isTrue();
              assertThat(f.problem().line()).isEqualTo(9);
              assertThat(f.problem().message()).contains("steps");
            });
  }

  @Test
  void aMappingNotGivenIsNotCheckedAndTheOtherAloneDecides() {
    MappingValidation v = MappingDebugger.validate(utf8(DEVICE), null);

    assertThat(v.fhir()).isNull();
    assertThat(v.crossCheck()).isEmpty();
    assertThat(v.valid()).isTrue();
  }

  @Test
  void messagesBecomeMeasurementsAndOneObservationPerGroupWithTheMessagesTheyCameFrom() {
    MappingDebugger.Outcome outcome =
        debugger.test(
            utf8(DEVICE),
            utf8(FHIR),
            List.of(
                message("{\"hr\": 70, \"time\": \"2026-12-01T08:00:00Z\"}", "m-1"),
                message("{\"hr\": 72, \"time\": \"2026-12-01T08:00:01Z\"}", "m-1")));

    assertThat(outcome).isInstanceOf(MappingDebugger.Ran.class);
    MappingDebugger.Ran ran = (MappingDebugger.Ran) outcome;
    assertThat(ran.errors()).isEmpty();
    assertThat(ran.measurements())
        .extracting(MappingDebugger.Normalized::message)
        .containsExactly(0, 1);
    assertThat(ran.measurements().get(0).measurement().deviceId()).isEqualTo("m-1");
    assertThat(ran.observations())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.messages()).containsExactly(0, 1);
              Observation o = c.observation();
              assertThat(o.getDevice().getReference())
                  .isEqualTo("Device/" + ResourceIds.of("Device", null, "m-1"));
              assertThat(o.getValueSampledData().getData()).startsWith("70 72");
              assertThat(o.getIssued().toInstant()).isEqualTo(NOW);
              assertThat(o.getIdentifierFirstRep().getValue())
                  .isEqualTo(
                      "-."
                          + ResourceIds.of("Device", null, "m-1")
                          + ".heartrate.20261201080000000Z.20261201085959999Z");
            });
  }

  @Test
  void eachDataErrorNamesItsStepAndMessageWhileTheOtherMessagesStillConvert() {
    MappingDebugger.Ran ran =
        (MappingDebugger.Ran)
            debugger.test(
                utf8(DEVICE),
                utf8(FHIR),
                List.of(
                    message("{\"hr\": 70, \"time\": \"2026-12-01T08:00:00Z\"}", "m-1"),
                    message("not json", "m-1"),
                    message("{\"steps\": 12, \"time\": \"2026-12-01T08:00:00Z\"}", "m-2")));

    assertThat(ran.observations()).hasSize(1);
    assertThat(ran.errors())
        .extracting(
            MappingDebugger.DataError::step,
            MappingDebugger.DataError::message,
            MappingDebugger.DataError::deviceId,
            e -> e.error().errorName())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                MappingDebugger.Step.NORMALIZE, 1, null, "InvalidDataFormatException"),
            org.assertj.core.groups.Tuple.tuple(
                MappingDebugger.Step.GROUP, 2, "m-2", "TemplateNotFoundException"));
  }

  @Test
  void aValueTheFhirTemplateCannotHoldIsAConversionErrorOfItsGroup() {
    String quantity =
        FHIR.replace("\"SampledData\"", "\"Quantity\"").replace(", \"defaultPeriod\": 1000", "");
    MappingDebugger.Ran ran =
        (MappingDebugger.Ran)
            debugger.test(
                utf8(DEVICE),
                utf8(quantity),
                List.of(message("{\"hr\": \"fast\", \"time\": \"2026-12-01T08:00:00Z\"}", "m-1")));

    assertThat(ran.observations()).isEmpty();
    assertThat(ran.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.step()).isEqualTo(MappingDebugger.Step.CONVERT);
              assertThat(e.message()).isZero();
              assertThat(e.error().errorName()).isEqualTo("InvalidQuantityFhirValueException");
            });
  }

  @Test
  void anInvalidMappingRunsNothingAndKeepsItsProblems() {
    MappingDebugger.Outcome outcome =
        debugger.test(
            utf8(DEVICE),
            utf8(BROKEN_FHIR),
            List.of(message("{\"hr\": 70, \"time\": \"2026-12-01T08:00:00Z\"}", "m-1")));

    assertThat(outcome).isInstanceOf(MappingDebugger.NotRun.class);
    assertThat(outcome.validation().fhir().problems()).allMatch(TemplateProblem::isError);
  }

  @Test
  void aFileOfEnvelopesRunsLikeMessagesWithEachEventsIndex() {
    String envelopes =
        "[{\"Body\": {\"hr\": 70, \"time\": \"2026-12-01T08:00:00Z\"}, \"Properties\": {\"device\":"
            + " \"m-1\"}}, 42]";
    MappingDebugger.Ran ran =
        (MappingDebugger.Ran) debugger.testEnvelopes(utf8(DEVICE), utf8(FHIR), utf8(envelopes));

    assertThat(ran.measurements())
        .extracting(MappingDebugger.Normalized::message)
        .containsExactly(0);
    assertThat(ran.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.message()).isEqualTo(1);
              assertThat(e.error().getMessage()).contains("not an envelope object");
            });
  }
}
