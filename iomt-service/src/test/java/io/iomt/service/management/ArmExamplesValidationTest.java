package io.iomt.service.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArmExamplesValidationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void theWorkspaceExampleIsStoredAsItsLocation() throws Exception {
    ValidatedResource v =
        ResourceValidator.validate(
            ArmExamples.WORKSPACE, ArmExamples.bytes("Workspaces_Create.json"), Optional.empty());

    assertThat(v.body()).isEqualTo(json("{\"location\":\"westus\",\"properties\":{}}"));
    assertThat(v.secrets()).isEmpty();
    assertThat(v.warnings()).isEmpty();
  }

  @Test
  void theIotConnectorExampleIsAcceptedWithItsStringRequiredFlagAndEventHubEndpoint()
      throws Exception {
    ValidatedResource v =
        ResourceValidator.validate(
            ArmExamples.IOT_CONNECTOR,
            ArmExamples.bytes("iotconnector_Create.json"),
            Optional.empty());

    assertThat(v.body()).isEqualTo(json(ArmExamples.text("iotconnector_Create.json")));
    assertThat(v.secrets()).isEmpty();
    assertThat(v.warnings()).isEmpty();
  }

  @Test
  void theFhirDestinationExampleIsAcceptedWithItsCollectionFhirTemplateAndSlashlessId()
      throws Exception {
    ValidatedResource v =
        ResourceValidator.validate(
            ArmExamples.FHIR_DESTINATION,
            ArmExamples.bytes("iotconnector_fhirdestination_Create.json"),
            Optional.empty());

    assertThat(v.body())
        .isEqualTo(json(ArmExamples.text("iotconnector_fhirdestination_Create.json")));
    assertThat(v.body().at("/properties/fhirServiceResourceId").asText())
        .startsWith("subscriptions/11111111-2222-3333-4444-555566667777/");
  }

  @Test
  void theFhirDestinationExampleCrossChecksCleanlyAgainstTheIotConnectorExample() throws Exception {
    MappingCompanion device =
        new MappingCompanion(
            ArmExamples.IOT_CONNECTOR,
            json(ArmExamples.text("iotconnector_Create.json"))
                .at("/properties/deviceMapping/content"));

    ValidatedResource v =
        ResourceValidator.validate(
            ArmExamples.FHIR_DESTINATION,
            ArmExamples.bytes("iotconnector_fhirdestination_Create.json"),
            Optional.of(device));

    assertThat(v.warnings()).isEmpty();
  }

  @Test
  void theIotConnectorExampleCrossChecksCleanlyAgainstTheFhirDestinationExample() throws Exception {
    MappingCompanion fhir =
        new MappingCompanion(
            ArmExamples.FHIR_DESTINATION,
            json(ArmExamples.text("iotconnector_fhirdestination_Create.json"))
                .at("/properties/fhirMapping/content"));

    ValidatedResource v =
        ResourceValidator.validate(
            ArmExamples.IOT_CONNECTOR,
            ArmExamples.bytes("iotconnector_Create.json"),
            Optional.of(fhir));

    assertThat(v.warnings()).isEmpty();
  }

  @Test
  void theFhirServiceExampleKeepsItsContractPartAndNamesWhatIsNotApplied() throws Exception {
    ValidatedResource v =
        ResourceValidator.validate(
            ArmExamples.FHIR_SERVICE,
            ArmExamples.bytes("FhirServices_Create.json"),
            Optional.empty());

    JsonNode example = json(ArmExamples.text("FhirServices_Create.json"));
    assertThat(v.body().get("kind").asText()).isEqualTo("fhir-R4");
    assertThat(v.body().get("location").asText()).isEqualTo("westus");
    assertThat(v.body().get("tags")).isEqualTo(example.get("tags"));
    assertThat(v.body().get("identity")).isEqualTo(example.get("identity"));
    assertThat(v.body().get("properties"))
        .isEqualTo(
            json(
                "{\"authenticationConfiguration\":{"
                    + "\"authority\":\"https://login.microsoftonline.com/abfde7b2-df0f-47e6-aabf-2462b07508dc\","
                    + "\"audience\":\"https://azurehealthcareapis.com\",\"smartProxyEnabled\":true}}"));
    assertThat(v.warnings())
        .extracting(ArmError::target)
        .containsExactlyInAnyOrder(
            "properties.accessPolicies",
            "properties.acrConfiguration",
            "properties.corsConfiguration",
            "properties.encryption",
            "properties.exportConfiguration",
            "properties.implementationGuidesConfiguration",
            "properties.importConfiguration");
    assertThat(v.warnings()).extracting(ArmError::code).containsOnly("IgnoredProperty");
    assertThat(IomtExtension.fhirServerUrl(ArmExamples.FHIR_SERVICE, v.body()))
        .hasToString("https://workspace1-fhirservice1.fhir.azurehealthcareapis.com");
  }
}
