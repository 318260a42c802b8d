package io.iomt.service.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Mapping content in a request body is validated by iomt-core, as {@code iomt validate} does, and
 * each problem is reported at its line and column in the request body with its property path.
 */
class MappingProblemsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ArmException refused(ResourceId id, String body, Optional<MappingCompanion> c) {
    return catchThrowableOfType(
        ArmException.class,
        () -> ResourceValidator.validate(id, body.getBytes(StandardCharsets.UTF_8), c));
  }

  private static String connector() {
    return ArmExamples.text("iotconnector_Create.json");
  }

  private static String destination() {
    return ArmExamples.text("iotconnector_fhirdestination_Create.json");
  }

  @Test
  void everyDeviceMappingProblemIsListedAtItsLineAndColumnInTheRequestBody() {
    String body =
        connector()
            .replace("\"typeName\": \"heartrate\"", "\"typeNmae\": \"heartrate\"")
            .replace("\"required\": \"true\"", "\"required\": \"maybe\"");

    ArmException e = refused(ArmExamples.IOT_CONNECTOR, body, Optional.empty());

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.error().code()).isEqualTo("InvalidMapping");
    assertThat(e.error().details())
        .extracting(ArmError::code, ArmError::target)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "InvalidMapping", "properties.deviceMapping.content.template[0].template"),
            org.assertj.core.groups.Tuple.tuple(
                "InvalidMapping", "properties.deviceMapping.content.template[0].template.typeNmae"),
            org.assertj.core.groups.Tuple.tuple(
                "InvalidMapping",
                "properties.deviceMapping.content.template[0].template.values[0].required"));
    assertThat(e.error().details())
        .extracting(ArmError::message)
        .satisfiesExactly(
            m ->
                assertThat(m)
                    .isEqualTo(
                        "11:25: Missing required property 'typeName' in a JsonPathContent template"),
            m ->
                assertThat(m)
                    .isEqualTo(
                        "15:15: Unknown property 'typeNmae' in a JsonPathContent template (did you"
                            + " mean 'typeName'?)"),
            m -> assertThat(m).startsWith("18:31: ").contains("'required' must be true or false"));
  }

  @Test
  void aMappingProblemIsFoundWhereverTheContentSitsInTheBody() {
    // Same mapping, other layout: the problem's line and column follow the request body.
    String body =
        "{\"location\":\"westus\",\n"
            + "  \"properties\": {\"deviceMapping\": {\"content\": "
            + "{\"templateType\": \"CollectionContent\", \"template\": [\n"
            + "    {\"templateType\": \"JsonPathContnt\", \"template\": {}}]}}}}";

    ArmException e = refused(ArmExamples.IOT_CONNECTOR, body, Optional.empty());

    assertThat(e.error().details())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.target())
                  .isEqualTo("properties.deviceMapping.content.template[0].templateType");
              assertThat(d.message()).startsWith("3:22: ").contains("JsonPathContnt");
            });
  }

  @Test
  void propertyNamesOfTheEnvelopeMatchInAnyCaseAndTheTargetUsesTheContractsSpelling() {
    String body =
        connector()
            .replace("\"properties\"", "\"Properties\"")
            .replace("\"deviceMapping\"", "\"DeviceMapping\"")
            .replace("\"typeName\": \"heartrate\"", "\"typeName\": 42");

    ArmException e = refused(ArmExamples.IOT_CONNECTOR, body, Optional.empty());

    assertThat(e.error().details())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.target())
                  .isEqualTo("properties.deviceMapping.content.template[0].template.typeName");
              assertThat(d.message()).startsWith("15:27: ");
            });
  }

  @Test
  void aFhirMappingProblemIsListedAtItsPlaceInTheDestinationsBody() {
    String body =
        destination().replace("\"valueType\": \"SampledData\"", "\"valueType\": \"Sampled\"");

    ArmException e = refused(ArmExamples.FHIR_DESTINATION, body, Optional.empty());

    assertThat(e.error().code()).isEqualTo("InvalidMapping");
    assertThat(e.error().details())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.target())
                  .isEqualTo("properties.fhirMapping.content.template[0].template.value.valueType");
              assertThat(d.message()).startsWith("22:30: ").contains("Sampled");
            });
  }

  @Test
  void aDeviceTypeWithoutFhirTemplateRefusesTheDestinationAtTheIotConnectorsTypeName()
      throws Exception {
    MappingCompanion device =
        new MappingCompanion(
            ArmExamples.IOT_CONNECTOR,
            JSON.readTree(connector()).at("/properties/deviceMapping/content"));
    String body = destination().replace("\"typeName\": \"heartrate\"", "\"typeName\": \"pulse\"");

    ArmException e = refused(ArmExamples.FHIR_DESTINATION, body, Optional.of(device));

    assertThat(e.error().details())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.code()).isEqualTo("InvalidMapping");
              assertThat(d.target())
                  .isEqualTo("properties.deviceMapping.content.template[0].template.typeName");
              assertThat(d.message())
                  .startsWith(
                      "In the device mapping of the iotconnector "
                          + ArmExamples.IOT_CONNECTOR
                          + ", at properties.deviceMapping.content.template[0].template.typeName: ")
                  .contains("Device type 'heartrate' has no CodeValueFhir template");
            });
  }

  @Test
  void theCrossCheckRunsEvenWhileTheFhirMappingHasErrorsOfItsOwn() throws Exception {
    MappingCompanion device =
        new MappingCompanion(
            ArmExamples.IOT_CONNECTOR,
            JSON.readTree(connector()).at("/properties/deviceMapping/content"));
    String body =
        destination()
            .replace("\"typeName\": \"heartrate\"", "\"typeName\": \"pulse\"")
            .replace("\"valueType\": \"SampledData\"", "\"valueType\": \"Sampled\"");

    ArmException e = refused(ArmExamples.FHIR_DESTINATION, body, Optional.of(device));

    assertThat(e.error().details())
        .extracting(ArmError::target)
        .containsExactly(
            "properties.fhirMapping.content.template[0].template.value.valueType",
            "properties.deviceMapping.content.template[0].template.typeName");
  }

  @Test
  void aDeviceTypeWithoutFhirTemplateRefusesTheIotConnectorAtItsOwnTypeName() throws Exception {
    MappingCompanion fhir =
        new MappingCompanion(
            ArmExamples.FHIR_DESTINATION,
            JSON.readTree(destination()).at("/properties/fhirMapping/content"));
    String body = connector().replace("\"typeName\": \"heartrate\"", "\"typeName\": \"pulse\"");

    ArmException e = refused(ArmExamples.IOT_CONNECTOR, body, Optional.of(fhir));

    assertThat(e.error().details())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.target())
                  .isEqualTo("properties.deviceMapping.content.template[0].template.typeName");
              assertThat(d.message())
                  .startsWith("15:27: ")
                  .contains("Device type 'pulse' has no CodeValueFhir template");
            });
  }

  @Test
  void crossCheckWarningsDoNotRefuseButComeBackForTheLog() throws Exception {
    MappingCompanion device =
        new MappingCompanion(
            ArmExamples.IOT_CONNECTOR,
            JSON.readTree(connector()).at("/properties/deviceMapping/content"));
    String body = destination().replace("\"valueName\": \"hr\"", "\"valueName\": \"bpm\"");

    ValidatedResource v =
        ResourceValidator.validate(
            ArmExamples.FHIR_DESTINATION,
            body.getBytes(StandardCharsets.UTF_8),
            Optional.of(device));

    assertThat(v.warnings()).isNotEmpty().extracting(ArmError::code).containsOnly("MappingWarning");
    assertThat(v.warnings())
        .anySatisfy(
            w -> {
              assertThat(w.target())
                  .isEqualTo("properties.fhirMapping.content.template[0].template.typeName");
              assertThat(w.message()).startsWith("17:27: ").contains("'bpm'");
            });
  }

  @Test
  void aRepeatedPropertyInTheMappingIsReportedAtItsSecondOccurrence() {
    String body =
        connector()
            .replace(
                "\"typeName\": \"heartrate\",",
                "\"typeName\": \"heartrate\",\n              \"typeName\": \"heartrate\",");

    ArmException e = refused(ArmExamples.IOT_CONNECTOR, body, Optional.empty());

    assertThat(e.error().details())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.target())
                  .isEqualTo("properties.deviceMapping.content.template[0].template.typeName");
              assertThat(d.message()).startsWith("16:15: ");
            });
  }
}
