package io.iomt.service.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResourceValidatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ValidatedResource valid(ResourceId id, String body) {
    return ResourceValidator.validate(id, body.getBytes(StandardCharsets.UTF_8), Optional.empty());
  }

  private static ArmError refused(ResourceId id, String body) {
    ArmException e =
        catchThrowableOfType(
            ArmException.class,
            () ->
                ResourceValidator.validate(
                    id, body.getBytes(StandardCharsets.UTF_8), Optional.empty()));
    assertThat(e).as("refused").isNotNull();
    assertThat(e.status()).isEqualTo(400);
    return e.error();
  }

  @Test
  void malformedJsonIsRefusedWithItsLineAndColumn() {
    ArmError e = refused(ArmExamples.WORKSPACE, "{\n  \"location\": \"westus\",\n  }");

    assertThat(e.code()).isEqualTo("InvalidRequestContent");
    assertThat(e.message()).startsWith("The request content is not valid JSON: 3:3: ");
  }

  @Test
  void aBodyThatIsNoObjectOrEmptyIsRefused() {
    assertThat(refused(ArmExamples.WORKSPACE, "[]").message()).contains("not an array");
    assertThat(refused(ArmExamples.WORKSPACE, "  ").message()).contains("empty");
  }

  @Test
  void aTrackedResourceWithoutLocationIsRefusedAsArmDoes() {
    ArmError e = refused(ArmExamples.WORKSPACE, "{\"tags\": {}}");

    assertThat(e.code()).isEqualTo("LocationRequired");
    assertThat(e.target()).isEqualTo("location");
    assertThat(e.details()).hasSize(1);
  }

  @Test
  void readOnlyFieldsAreIgnoredAndTheLocationTakesArmsNormalForm() throws Exception {
    ValidatedResource v =
        valid(
            ArmExamples.WORKSPACE,
            "{\"id\": \"/x\", \"name\": \"other\", \"type\": \"t\", \"etag\": \"\\\"1\\\"\","
                + " \"systemData\": {\"createdBy\": \"me\"}, \"location\": \"West US\","
                + " \"properties\": {\"provisioningState\": \"Succeeded\","
                + " \"publicNetworkAccess\": \"disabled\"}}");

    assertThat(v.body())
        .isEqualTo(
            JSON.readTree(
                "{\"location\":\"westus\",\"properties\":{\"publicNetworkAccess\":\"Disabled\"}}"));
    assertThat(v.warnings()).isEmpty();
  }

  @Test
  void everyProblemOfOneRequestIsListedAtOnceWithItsTarget() {
    String tooMany = "";
    for (int i = 0; i < 51; i++) {
      tooMany += (i == 0 ? "" : ",") + "\"t" + i + "\": \"v\"";
    }
    ArmError e =
        refused(
            ArmExamples.IOT_CONNECTOR,
            "{\"tags\": {"
                + tooMany
                + ", \"a/b\": \"v\", \"n\": 1},"
                + " \"identity\": {\"type\": \"Managed\"},"
                + " \"properties\": {\"ingestionEndpointConfiguration\": {"
                + "\"eventHubName\": \"hub\", \"fullyQualifiedEventHubNamespace\": \"https://x/\"}}}");

    assertThat(e.code()).isEqualTo("InvalidRequestContent");
    assertThat(e.message()).contains("7 problems");
    assertThat(e.details())
        .extracting(ArmError::code, ArmError::target)
        .containsExactly(
            tuple("LocationRequired", "location"),
            tuple("InvalidRequestContent", "tags"),
            tuple("InvalidRequestContent", "tags['a/b']"),
            tuple("InvalidRequestContent", "tags['n']"),
            tuple("InvalidRequestContent", "identity.type"),
            tuple(
                "InvalidRequestContent", "properties.ingestionEndpointConfiguration.consumerGroup"),
            tuple(
                "InvalidRequestContent",
                "properties.ingestionEndpointConfiguration.fullyQualifiedEventHubNamespace"));
  }

  @Test
  void tagLimitsAreArms() {
    String longValue = "x".repeat(257);
    String longKey = "k".repeat(513);
    ArmError e =
        refused(
            ArmExamples.WORKSPACE,
            "{\"location\": \"westus\", \"tags\": {\"a\": \""
                + longValue
                + "\", \""
                + longKey
                + "\": \"v\", \"ok\": \""
                + "y".repeat(256)
                + "\"}}");

    assertThat(e.details())
        .extracting(ArmError::message)
        .containsExactly(
            "A tag value is at most 256 characters; this one has 257.",
            "A tag name is 1-512 characters; this one has 513.");
  }

  @Test
  void identityTypesAreReadInAnyCaseAndStoredInArmsSpelling() {
    ValidatedResource v =
        valid(
            ArmExamples.IOT_CONNECTOR,
            "{\"location\": \"westus\", \"identity\": {\"type\": \"systemassigned, userassigned\","
                + " \"principalId\": \"p\", \"userAssignedIdentities\": {"
                + "\"/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity"
                + "/userAssignedIdentities/mi\": {\"clientId\": \"c\"}}}}");

    assertThat(v.body().at("/identity/type").asText()).isEqualTo("SystemAssigned,UserAssigned");
    assertThat(v.body().at("/identity").has("principalId")).isFalse();
    assertThat(v.body().at("/identity/userAssignedIdentities").fieldNames().next())
        .endsWith("/userAssignedIdentities/mi");
  }

  @Test
  void aUserAssignedIdentityNeedsItsIdentities() {
    ArmError e =
        refused(
            ArmExamples.IOT_CONNECTOR,
            "{\"location\": \"westus\", \"identity\": {\"type\": \"UserAssigned\"}}");

    assertThat(e.target()).isEqualTo("identity.userAssignedIdentities");
  }

  @Test
  void aFhirDestinationNeedsItsPropertiesAndAFhirServicesId() {
    ArmError missing = refused(ArmExamples.FHIR_DESTINATION, "{\"location\": \"westus\"}");
    assertThat(missing.target()).isEqualTo("properties");

    ArmError wrong =
        refused(
            ArmExamples.FHIR_DESTINATION,
            ArmExamples.text("iotconnector_fhirdestination_Create.json")
                .replace("fhirservices/myfhirservice", "iotconnectors/myconnector")
                .replace("\"Create\"", "\"Merge\""));
    assertThat(wrong.details())
        .extracting(ArmError::target)
        .containsExactly(
            "properties.resourceIdentityResolutionType", "properties.fhirServiceResourceId");
    assertThat(wrong.details().get(0).message())
        .isEqualTo(
            "The value 'Merge' of 'properties.resourceIdentityResolutionType' is not allowed; it"
                + " must be one of 'Create', 'Lookup'.");
  }

  @Test
  void theResolutionTypeIsReadInAnyCaseAndAFhirServiceIdMayHaveItsSlash() {
    ValidatedResource v =
        valid(
            ArmExamples.FHIR_DESTINATION,
            ArmExamples.text("iotconnector_fhirdestination_Create.json")
                .replace("\"Create\"", "\"lookup\"")
                .replace("\"subscriptions/", "\"/subscriptions/"));

    assertThat(v.body().at("/properties/resourceIdentityResolutionType").asText())
        .isEqualTo("Lookup");
    assertThat(v.body().at("/properties/fhirServiceResourceId").asText())
        .startsWith("/subscriptions/");
  }

  @Test
  void aStu3FhirServiceIsRefusedSinceThisProjectWritesR4Only() {
    ArmError e =
        refused(ArmExamples.FHIR_SERVICE, "{\"location\": \"westus\", \"kind\": \"fhir-Stu3\"}");

    assertThat(e.target()).isEqualTo("kind");
    assertThat(e.message()).contains("FHIR R4 resources only");
  }

  @Test
  void aFhirServicesCredentialsAreCheckedAsTheServiceConfigurationChecksThem() {
    ArmError e =
        refused(
            ArmExamples.FHIR_SERVICE,
            "{\"location\": \"westus\", \"properties\": {\"iomt\": {\"url\": \"ftp://fhir\","
                + " \"requestTimeout\": \"soon\", \"auth\": {\"type\": \"oauth2\","
                + " \"clientId\": \"app\", \"clientSecret\": \"s3cr3t\"}}}}");

    assertThat(e.details())
        .extracting(ArmError::target)
        .containsExactlyInAnyOrder(
            "properties.iomt.url",
            "properties.iomt.auth.tokenUrl",
            "properties.iomt.auth.scope",
            "properties.iomt.requestTimeout");
    assertThat(e.details()).extracting(ArmError::message).noneMatch(m -> m.contains("s3cr3t"));
  }

  @Test
  void writeOnlyFieldsAreTakenOutOfTheBody() {
    ValidatedResource v =
        valid(
            ArmExamples.FHIR_SERVICE,
            "{\"location\": \"westus\", \"properties\": {\"iomt\": {\"url\": \"https://fhir/r4\","
                + " \"maxBackoff\": \"PT30S\", \"auth\": {\"type\": \"OAuth2\","
                + " \"tokenUrl\": \"https://login/token\", \"clientId\": \"app\","
                + " \"ClientSecret\": \"s3cr3t\", \"scope\": \"fhir/.default\"}}}}");

    assertThat(v.secrets()).isEqualTo(Map.of("/properties/iomt/auth/clientSecret", "s3cr3t"));
    assertThat(v.body().toString()).doesNotContain("s3cr3t").doesNotContain("clientSecret");
    assertThat(v.body().at("/properties/iomt/auth/type").asText()).isEqualTo("oauth2");
    assertThat(v.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void aSecretThatIsStoredCountsAsGivenWhenThePutOmitsIt() {
    String body =
        "{\"location\": \"westus\", \"properties\": {\"iomt\": {\"url\": \"https://fhir/r4\","
            + " \"auth\": {\"type\": \"bearer\"}}}}";
    assertThat(refused(ArmExamples.FHIR_SERVICE, body).target())
        .isEqualTo("properties.iomt.auth.token");

    ValidatedResource v =
        ResourceValidator.validate(
            ArmExamples.FHIR_SERVICE,
            body.getBytes(StandardCharsets.UTF_8),
            Optional.empty(),
            Set.of("/properties/iomt/auth/token"));

    assertThat(v.secrets()).isEmpty();
    assertThat(WriteOnlyFields.mergeSecrets(Map.of("/properties/iomt/auth/token", "old"), v))
        .isEqualTo(Map.of("/properties/iomt/auth/token", "old"));
  }

  @Test
  void aKafkaSourceAndAnEventHubEndpointContradictEachOther() {
    ArmError e =
        refused(
            ArmExamples.IOT_CONNECTOR,
            ArmExamples.text("iotconnector_Create.json")
                .replace(
                    "\"properties\": {",
                    "\"properties\": {\"iomt\": {\"source\": {\"type\": \"kafka\","
                        + " \"topic\": \"icu events\"}, \"partitions\": 0, \"flush\": {"
                        + "\"maxAge\": \"5s\", \"maxEvent\": 10}},"));

    assertThat(e.details())
        .extracting(ArmError::target)
        .containsExactly(
            "properties.iomt.source.type",
            "properties.iomt.source.topic",
            "properties.iomt.partitions",
            "properties.iomt.flush.maxEvent");
  }

  @Test
  void aKafkaSourceConnectorNeedsNoEventHub() throws Exception {
    ValidatedResource v =
        valid(
            ArmExamples.IOT_CONNECTOR,
            "{\"location\": \"westus\", \"properties\": {\"iomt\": {\"source\": {\"topic\":"
                + " \"icu-events\"}, \"partitions\": 8, \"flush\": {\"maxEvents\": 500,"
                + " \"maxAge\": \"2s\"}, \"deadLetters\": {\"eventHub\": {\"connectionString\":"
                + " \"Endpoint=sb://ns/;SharedAccessKey=k;EntityPath=dead\"}}}}}");

    assertThat(v.body().at("/properties/iomt"))
        .isEqualTo(
            JSON.readTree(
                "{\"source\":{\"type\":\"kafka\",\"topic\":\"icu-events\"},\"partitions\":8,"
                    + "\"flush\":{\"maxEvents\":500,\"maxAge\":\"2s\"},"
                    + "\"deadLetters\":{\"eventHub\":{}}}"));
    assertThat(v.secrets())
        .containsOnlyKeys("/properties/iomt/deadLetters/eventHub/connectionString");
  }

  @Test
  void anEventHubsSourceMayNameItsCheckpointContainerAndConnectionString() {
    ValidatedResource v =
        valid(
            ArmExamples.IOT_CONNECTOR,
            ArmExamples.text("iotconnector_Create.json")
                .replace(
                    "\"properties\": {",
                    "\"properties\": {\"iomt\": {\"source\": {\"connectionString\": \"Endpoint=x\","
                        + " \"startPosition\": \"latest\", \"checkpoints\": {\"connectionString\":"
                        + " \"DefaultEndpointsProtocol=https\", \"container\": \"icu-checkpoints\"}}},"));

    assertThat(v.body().at("/properties/iomt/source/type").asText()).isEqualTo("event-hubs");
    assertThat(v.secrets())
        .containsOnlyKeys(
            "/properties/iomt/source/connectionString",
            "/properties/iomt/source/checkpoints/connectionString");
    assertThat(v.body().at("/properties/iomt/source/checkpoints/container").asText())
        .isEqualTo("icu-checkpoints");
  }

  @Test
  void unknownPropertiesOfTheAzureContractAreAcceptedButNamed() {
    ValidatedResource v =
        valid(ArmExamples.WORKSPACE, "{\"location\": \"westus\", \"sku\": {\"name\": \"S1\"}}");

    assertThat(v.body().has("sku")).isFalse();
    assertThat(v.warnings())
        .extracting(ArmError::code, ArmError::target)
        .containsExactly(tuple("IgnoredProperty", "sku"));
  }
}
