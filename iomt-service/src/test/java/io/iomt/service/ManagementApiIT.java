package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.testkit.FhirObservations;
import io.iomt.testkit.HapiFhirServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The management API end to end, as a user of Azure's contract drives it: the contract's own
 * example request bodies, long-running operations polled through {@code Azure-AsyncOperation}, a
 * connector made through the API converting ingested messages into the real HAPI FHIR server, and
 * each refusal in ARM's error shape with nothing changed.
 */
class ManagementApiIT {
  static final String CONTRIBUTOR_KEY = "contributor-key-0123456789";
  static final String READER_KEY = "reader-key-0123456789abcdef";

  /** The subscription, group and workspace of the contract's fhirdestination example. */
  static final String SUB = "11111111-2222-3333-4444-555566667777";

  static final String WS =
      "/subscriptions/"
          + SUB
          + "/resourceGroups/myrg/providers/Microsoft.HealthcareApis"
          + "/workspaces/myworkspace";
  static final Duration OPERATION = Duration.ofSeconds(90);

  static HapiFhirServer fhir;
  static RunningService service;
  static ArmClient arm;
  static ArmClient reader;
  static ArmClient anonymous;

  @BeforeAll
  static void start() throws Exception {
    fhir = HapiFhirServer.shared();
    Path dataDir = Files.createTempDirectory("iomt-management-it");
    service = RunningService.start(managementService(dataDir, fhir.baseUrl()));
    arm = ArmClient.withKey(service.baseUrl, CONTRIBUTOR_KEY);
    reader = ArmClient.withKey(service.baseUrl, READER_KEY);
    anonymous = ArmClient.anonymous(service.baseUrl);
    arm.awaitReady();
    // the workspace and FHIR service of the contract's examples, shared by the tests
    created(arm.put(WS, ArmClient.resource("arm-examples/Workspaces_Create.json")));
    created(arm.put(WS + "/fhirservices/myfhirservice", fhirService(fhir.baseUrl())));
  }

  /** The test service with a contributor and a reader key, and small list pages. */
  static Map<String, Object> managementService(Path dataDir, String fhirUrl) {
    Map<String, Object> p = RunningService.defaults(dataDir, fhirUrl);
    p.put("iomt.management.api-keys[0].name", "alice");
    p.put("iomt.management.api-keys[0].key", CONTRIBUTOR_KEY);
    p.put("iomt.management.api-keys[0].role", "contributor");
    p.put("iomt.management.api-keys[1].name", "bob");
    p.put("iomt.management.api-keys[1].key", READER_KEY);
    p.put("iomt.management.api-keys[1].role", "reader");
    p.put("iomt.management.page-size", "2");
    return p;
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
  }

  /** The contract's fhirservice example, plus this project's extension: the FHIR server's URL. */
  static String fhirService(String url) {
    ObjectNode body = ArmClient.json(ArmClient.resource("arm-examples/FhirServices_Create.json"));
    ObjectNode iomt = body.withObject("properties").withObject("iomt");
    iomt.put("url", url);
    iomt.putObject("auth").put("type", "none");
    return body.toString();
  }

  /** The contract's iotconnector example reading HTTP ingest instead of its Event Hub. */
  static String ingestConnector() {
    return ingestConnector(2);
  }

  /** {@link #ingestConnector()} with that many partitions. */
  static String ingestConnector(int partitions) {
    ObjectNode body = ArmClient.json(ArmClient.resource("arm-examples/iotconnector_Create.json"));
    ObjectNode properties = body.withObject("properties");
    properties.remove("ingestionEndpointConfiguration");
    properties
        .withObject("iomt")
        .put("partitions", partitions)
        .withObject("source")
        .put("type", "kafka");
    properties.withObject("iomt").withObject("flush").put("maxEvents", 100).put("maxAge", "500ms");
    // Create mode needs a patient per device
    ((ObjectNode)
            properties
                .path("deviceMapping")
                .path("content")
                .path("template")
                .get(0)
                .path("template"))
        .put("patientIdExpression", "$.patientid");
    return body.toString();
  }

  /** A message of the contract's device mapping (plus a patient id) at 10:00:{second}. */
  static String heartRate(String device, int second, int value) {
    return "{\"deviceid\":\""
        + device
        + "\",\"patientid\":\"p-"
        + device
        + "\",\"measurementdatetime\":\"2026-03-01T10:00:"
        + String.format("%02d", second)
        + "Z\",\"heartrate\":"
        + value
        + "}";
  }

  static JsonNode created(ArmClient.Response r) {
    return created(arm, r);
  }

  /**
   * Makes a running connector through the API as a user would: the contract's example workspace
   * {@code ws}, a fhirservice {@code myfhirservice} at {@code fhirUrl}, the iotconnector {@code
   * connector} and its fhirdestination {@code dest}; each PUT's operation ends Succeeded.
   */
  static void createConnector(
      ArmClient client,
      String ws,
      String connector,
      String connectorBody,
      String fhirUrl,
      String destinationBody) {
    created(client, client.put(ws, ArmClient.resource("arm-examples/Workspaces_Create.json")));
    created(client, client.put(ws + "/fhirservices/myfhirservice", fhirService(fhirUrl)));
    created(client, client.put(ws + "/iotconnectors/" + connector, connectorBody));
    created(
        client,
        client.put(ws + "/iotconnectors/" + connector + "/fhirdestinations/dest", destinationBody));
  }

  /** Asserts a PUT was accepted, then polls its operation until it ends Succeeded. */
  static JsonNode created(ArmClient client, ArmClient.Response r) {
    assertThat(r.status()).as(r.raw().body()).isIn(200, 201);
    JsonNode op = client.awaitOperation(r, OPERATION);
    assertThat(op.path("status").asText()).as(op.toString()).isEqualTo("Succeeded");
    return op;
  }

  @Test
  void theContractsExamplesAreAcceptedAsTheyAreAndAnsweredInTheContractsShape() {
    ArmClient.Response put =
        arm.put(
            WS + "/iotconnectors/blue",
            ArmClient.resource("arm-examples/iotconnector_Create.json"));

    assertThat(put.status()).as(put.raw().body()).isEqualTo(201);
    JsonNode body = put.json();
    assertThat(body.path("id").asText()).isEqualTo(WS + "/iotconnectors/blue");
    assertThat(body.path("name").asText()).isEqualTo("blue");
    assertThat(body.path("type").asText())
        .isEqualTo("Microsoft.HealthcareApis/workspaces/iotconnectors");
    assertThat(body.path("etag").asText()).isNotBlank().isEqualTo(put.header("ETag"));
    assertThat(body.path("location").asText()).isEqualTo("westus");
    assertThat(body.path("tags").path("additionalProp1").asText()).isEqualTo("string");
    assertThat(body.path("identity").path("type").asText()).isEqualTo("SystemAssigned");
    assertThat(body.path("systemData").path("createdBy").asText()).isEqualTo("alice");
    assertThat(body.path("properties").path("provisioningState").asText())
        .isIn("Accepted", "Creating");
    assertThat(
            body.path("properties")
                .path("ingestionEndpointConfiguration")
                .path("fullyQualifiedEventHubNamespace")
                .asText())
        .isEqualTo("myeventhub.servicesbus.windows.net");
    assertThat(
            body.at("/properties/deviceMapping/content/template/0/template/values/0/required")
                .asText())
        .isEqualTo("true");
    assertThat(put.header("Azure-AsyncOperation"))
        .startsWith(
            service.baseUrl
                + "/subscriptions/"
                + SUB
                + "/providers/Microsoft.HealthcareApis/locations/westus/operationresults/")
        .endsWith("?api-version=2024-03-31");
    JsonNode op = arm.awaitOperation(put, OPERATION);
    assertThat(op.path("status").asText()).isEqualTo("Succeeded");
    assertThat(op.path("startTime").asText()).isNotBlank();
    assertThat(op.path("endTime").asText()).isNotBlank();

    // The example destination: its connector reads an Event Hub this machine cannot reach, with no
    // credential configured: provisioning ends Failed and says why, never stuck in Creating.
    ArmClient.Response destination =
        arm.put(
            WS + "/iotconnectors/blue/fhirdestinations/dest1",
            ArmClient.resource("arm-examples/iotconnector_fhirdestination_Create.json"));
    assertThat(destination.status()).as(destination.raw().body()).isEqualTo(201);
    assertThat(destination.json().path("type").asText())
        .isEqualTo("Microsoft.HealthcareApis/workspaces/iotconnectors/fhirdestinations");
    assertThat(destination.json().at("/properties/fhirMapping/content/templateType").asText())
        .isEqualTo("CollectionFhirTemplate");
    JsonNode failed = arm.awaitOperation(destination, OPERATION);
    assertThat(failed.path("status").asText()).isEqualTo("Failed");
    assertThat(failed.path("error").path("code").asText()).isEqualTo("InvalidConnectorSettings");
    assertThat(failed.path("error").path("message").asText())
        .contains("properties.iomt.source.checkpoints", "iomt.management.checkpoints");
    JsonNode stored = arm.get(WS + "/iotconnectors/blue/fhirdestinations/dest1").json();
    assertThat(stored.path("properties").path("provisioningState").asText()).isEqualTo("Failed");
  }

  @Test
  void aConnectorMadeThroughTheApiConvertsIngestedMessagesIntoTheRealFhirServer() throws Exception {
    created(arm.put(WS + "/iotconnectors/heart", ingestConnector()));
    created(
        arm.put(
            WS + "/iotconnectors/heart/fhirdestinations/dest",
            ArmClient.resource("arm-examples/iotconnector_fhirdestination_Create.json")));

    String device = "arm-" + UUID.randomUUID().toString().substring(0, 8);
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = service.ingest("myworkspace-heart", heartRate(device, i, 70 + i));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }
    // SampledData, 60-minute periods: the five readings are one Observation
    assertThat(FhirCounts.awaitObservations(fhir.baseUrl(), device, 1)).isEqualTo(1);

    // A new FHIR mapping swaps in live: readings of the next hour get the new code.
    String changed =
        ArmClient.resource("arm-examples/iotconnector_fhirdestination_Create.json")
            .replace("8867-4", "8889-8");
    ArmClient.Response update = arm.put(WS + "/iotconnectors/heart/fhirdestinations/dest", changed);
    assertThat(update.status()).isEqualTo(200);
    assertThat(update.json().at("/properties/provisioningState").asText()).isEqualTo("Updating");
    assertThat(arm.awaitOperation(update, OPERATION).path("status").asText())
        .isEqualTo("Succeeded");
    String later = heartRate(device, 0, 90).replace("T10:00:", "T11:00:");
    assertThat(service.ingest("myworkspace-heart", later).statusCode()).isEqualTo(202);
    assertThat(FhirCounts.awaitObservations(fhir.baseUrl(), device, 2)).isEqualTo(2);
    assertThat(FhirObservations.loincCodesOfDevice(fhir.baseUrl(), device))
        .containsExactlyInAnyOrder("8867-4", "8889-8");

    // Deleting: 202, then 404; its internal topics go, FHIR keeps its data.
    ArmClient.Response delete = arm.delete(WS + "/iotconnectors/heart");
    assertThat(delete.status()).isEqualTo(202);
    assertThat(delete.header("Location")).isNotBlank();
    assertThat(arm.awaitOperation(delete, OPERATION).path("status").asText())
        .isEqualTo("Succeeded");
    assertThat(arm.get(WS + "/iotconnectors/heart").status()).isEqualTo(404);
    assertThat(arm.get(WS + "/iotconnectors/heart/fhirdestinations/dest").status()).isEqualTo(404);
    try (Admin admin =
        Admin.create(
            Map.of(
                "bootstrap.servers",
                service.context.getBean(KafkaRuntime.class).clients().bootstrapServers()))) {
      Set<String> topics = admin.listTopics().names().get();
      assertThat(topics).doesNotContain("myworkspace-heart-normalized", "myworkspace-heart-errors");
    }
    assertThat(service.ingest("myworkspace-heart", "{}").statusCode()).isEqualTo(404);
    assertThat(FhirObservations.countOfDevice(fhir.baseUrl(), device)).isEqualTo(2);
  }

  @Test
  void everyRefusalIsInArmsErrorShapeAndChangesNothing() {
    ArmClient.Response ws = arm.get(WS);
    String etag = ws.json().path("etag").asText();

    ObjectNode broken = ArmClient.json(ingestConnector());
    ((ObjectNode) broken.at("/properties/deviceMapping/content/template/0/template"))
        .remove("typeName");
    ArmClient.Response invalid = arm.put(WS + "/iotconnectors/broken", broken.toPrettyString());
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.error().path("code").asText()).isEqualTo("InvalidMapping");
    JsonNode detail = invalid.error().path("details").get(0);
    assertThat(detail.path("target").asText())
        .startsWith("properties.deviceMapping.content.template[0].template");
    assertThat(detail.path("message").asText()).matches("\\d+:\\d+: .*typeName.*");

    ArmClient.Response version = arm.send("GET", WS + "?api-version=2018-01-01", null, Map.of());
    assertThat(version.status()).isEqualTo(400);
    assertThat(version.error().path("code").asText()).isEqualTo("InvalidApiVersionParameter");
    ArmClient.Response missing = arm.sendRaw("GET", service.baseUrl + WS, null, Map.of());
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.error().path("code").asText()).isEqualTo("MissingApiVersionParameter");

    ArmClient.Response name = arm.put(WS + "/iotconnectors/Bad_Name", ingestConnector());
    assertThat(name.status()).isEqualTo(400);
    assertThat(name.error().path("code").asText()).isEqualTo("InvalidResourceName");

    ArmClient.Response stale =
        arm.put(WS, "{\"location\":\"westus\"}", Map.of("If-Match", "\"not-the-etag\""));
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.error().path("code").asText()).isEqualTo("PreconditionFailed");
    ArmClient.Response exists =
        arm.put(WS, "{\"location\":\"westus\"}", Map.of("If-None-Match", "*"));
    assertThat(exists.status()).isEqualTo(412);

    ArmClient.Response nobody = anonymous.put(WS, "{\"location\":\"westus\"}");
    assertThat(nobody.status()).isEqualTo(401);
    assertThat(nobody.error().path("code").asText()).isEqualTo("AuthenticationFailed");
    ArmClient.Response readOnly = reader.put(WS, "{\"location\":\"westus\"}");
    assertThat(readOnly.status()).isEqualTo(403);
    assertThat(readOnly.error().path("code").asText()).isEqualTo("AuthorizationFailed");
    assertThat(reader.get(WS).status()).isEqualTo(200);

    assertThat(arm.get(WS).json().path("etag").asText()).isEqualTo(etag);
    assertThat(arm.get(WS + "/iotconnectors/broken").status()).isEqualTo(404);
    assertThat(arm.get(WS + "/iotconnectors/Bad_Name").status()).isEqualTo(404);
  }

  @Test
  void theApiReferenceIsServedAsAnOpenApiDocument() {
    ArmClient.Response r =
        anonymous.sendRaw("GET", service.baseUrl + "/openapi/management.yaml", null, Map.of());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.raw().body())
        .startsWith("openapi: 3.")
        .contains("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/");
  }

  @Test
  void theConfigurationFilesConnectorIsShownReadOnly() {
    String configured =
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/iomt/providers"
            + "/Microsoft.HealthcareApis/workspaces/configuration/iotconnectors/test";
    ArmClient.Response r = reader.get(configured);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().at("/properties/iomt/readOnly").asBoolean()).isTrue();
    assertThat(r.json().at("/properties/deviceMapping/content/templateType").asText())
        .isEqualTo("CollectionContent");
    ArmClient.Response put = arm.put(configured, ingestConnector());
    assertThat(put.status()).isEqualTo(409);
    assertThat(put.error().path("code").asText()).isEqualTo("ReadOnlyResource");
  }

  @Test
  void listsArePagedWithNextLinksAndPatchChangesTags() {
    for (String n : new String[] {"fhir-a", "fhir-b"}) {
      created(arm.put(WS + "/fhirservices/" + n, fhirService(fhir.baseUrl())));
    }
    ArmClient.Response first = arm.get(WS + "/fhirservices");
    assertThat(first.json().path("value").size()).isEqualTo(2);
    String next = first.json().path("nextLink").asText();
    assertThat(next).contains("$skipToken=");
    ArmClient.Response second = arm.sendRaw("GET", next, null, Map.of());
    assertThat(second.json().path("value").size()).isGreaterThanOrEqualTo(1);
    assertThat(second.json().path("value").get(0).path("name").asText())
        .isNotIn("fhir-a", "fhir-b");

    ArmClient.Response patched =
        arm.patch(WS + "/fhirservices/fhir-a", "{\"tags\":{\"ward\":\"icu\"}}");
    assertThat(patched.status()).as(patched.raw().body()).isEqualTo(200);
    assertThat(arm.get(WS + "/fhirservices/fhir-a").json().at("/tags/ward").asText())
        .isEqualTo("icu");
    assertThat(
            reader
                .get("/subscriptions/" + SUB + "/providers/Microsoft.HealthcareApis/workspaces")
                .json()
                .path("value")
                .get(0)
                .path("name")
                .asText())
        .isEqualTo("myworkspace");
  }
}
