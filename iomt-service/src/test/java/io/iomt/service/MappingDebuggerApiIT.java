package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.service.ConsoleApi.Answer;
import io.iomt.testkit.Await;
import io.iomt.testkit.FhirObservations;
import io.iomt.testkit.HapiFhirServer;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's mapping debugger API (docs/console.md) against one running service with its
 * embedded broker, the real HAPI FHIR JPA server, a connector of the configuration file, one whose
 * FHIR credentials are a secret, and one made through the management API. Every answer is checked
 * for secrets as it arrives.
 */
class MappingDebuggerApiIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CLIENT_SECRET = "client-secret-never-shown-4711";
  static final String WS = ManagementApiIT.WS;
  static final String DEBUG = "myworkspace-debug";
  static final List<String> SECRETS =
      List.of(
          CLIENT_SECRET,
          ManagementApiIT.CONTRIBUTOR_KEY,
          ManagementApiIT.READER_KEY,
          RunningService.API_KEY);

  static HapiFhirServer fhir;
  static RunningService service;
  static ArmClient arm;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    fhir = HapiFhirServer.shared();
    Path dataDir = Files.createTempDirectory("iomt-debugger-it");
    Map<String, Object> p = ManagementApiIT.managementService(dataDir, fhir.baseUrl());
    String guarded = "iomt.connectors.guarded.";
    p.put(guarded + "device-mapping", RunningService.SAMPLES.resolve("device-mapping.json"));
    p.put(guarded + "fhir-mapping", RunningService.SAMPLES.resolve("fhir-mapping.json"));
    p.put(guarded + "fhir.url", fhir.baseUrl());
    p.put(guarded + "fhir.auth.type", "oauth2");
    p.put(guarded + "fhir.auth.token-url", "http://127.0.0.1:9/token");
    p.put(guarded + "fhir.auth.client-id", "iomt");
    p.put(guarded + "fhir.auth.client-secret", CLIENT_SECRET);
    p.put(guarded + "fhir.auth.scope", "https://fhir.example/.default");
    p.put(guarded + "partitions", "1");
    service = RunningService.start(p);
    arm = ArmClient.withKey(service.baseUrl, ManagementApiIT.CONTRIBUTOR_KEY);
    arm.awaitReady();
    ManagementApiIT.createConnector(
        arm,
        WS,
        "debug",
        ManagementApiIT.ingestConnector(1),
        fhir.baseUrl(),
        ArmClient.resource("arm-examples/iotconnector_fhirdestination_Create.json"));
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
  }

  /** A console call; its answer must hold no secret, whatever it is. */
  static Answer call(String method, String path, String body, String key) {
    Answer answer = ConsoleApi.call(service.baseUrl, method, path, body, key);
    for (String secret : SECRETS) {
      assertThat(answer.body()).as(method + " " + path).doesNotContain(secret);
    }
    return answer;
  }

  static Answer contributor(String method, String path, Object body) throws Exception {
    return call(
        method,
        path,
        body == null ? null : JSON.writeValueAsString(body),
        ManagementApiIT.CONTRIBUTOR_KEY);
  }

  static String sample(String file) throws Exception {
    return Files.readString(RunningService.SAMPLES.resolve(file));
  }

  static ObjectNode test(List<String> bodies, String connector) throws Exception {
    ObjectNode request = JSON.createObjectNode();
    request.put("deviceMapping", sample("device-mapping.json"));
    request.put("fhirMapping", sample("fhir-mapping.json"));
    ArrayNode messages = request.putArray("messages");
    bodies.forEach(b -> messages.addObject().put("body", b));
    if (connector != null) {
      request.put("connector", connector);
    }
    return request;
  }

  static String heartRate(String device, String time, int value) {
    return "{\"deviceId\": \""
        + device
        + "\", \"patientId\": \"p-"
        + device
        + "\", \"endDate\": \""
        + time
        + "\", \"heartRate\": "
        + value
        + "}";
  }

  @Test
  void aBrokenMappingIsAnsweredWithEachProblemAtItsLineAndColumn() throws Exception {
    ObjectNode request = JSON.createObjectNode();
    request.put("deviceMapping", sample("device-mapping.json"));
    request.put(
        "fhirMapping",
        "{\"templateType\": \"CollectionFhir\", \"template\": [\n"
            + "  {\"templateType\": \"CodeValueFhir\", \"template\": {\"typeName\": \"heartrate\"}}]}");

    Answer a = contributor("POST", "/api/console/mappings/validate", request);

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().at("/deviceMapping/valid").asBoolean()).isTrue();
    assertThat(a.json().at("/fhirMapping/valid").asBoolean()).isFalse();
    JsonNode problem = a.json().at("/fhirMapping/problems/0");
    assertThat(problem.path("severity").asText()).isEqualTo("error");
    assertThat(problem.path("line").asInt()).isEqualTo(2);
    assertThat(problem.path("column").asInt()).isEqualTo(49);
    assertThat(problem.path("message").asText()).contains("'codes'");
    assertThat(a.json().has("crossCheck")).as("only when both mappings are valid").isFalse();
  }

  @Test
  void aValidRunShowsTheMeasurementsTheObservationAndADataErrorInMedTechsWords() throws Exception {
    String device = "dbg-" + UUID.randomUUID().toString().substring(0, 8);
    Answer a =
        contributor(
            "POST",
            "/api/console/mappings/test",
            test(
                List.of(
                    heartRate(device, "2026-03-01T10:00:00Z", 71),
                    "{\"patientId\": \"p\", \"endDate\": \"2026-03-01T10:00:00Z\", \"heartRate\":"
                        + " 72}"),
                null));

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().path("crossCheck").isArray()).isTrue();
    assertThat(a.json().path("measurements")).hasSize(1);
    assertThat(a.json().at("/measurements/0/message").asInt()).isZero();
    assertThat(a.json().at("/measurements/0/measurement/type").asText()).isEqualTo("heartrate");
    assertThat(a.json().at("/measurements/0/measurement/deviceId").asText()).isEqualTo(device);
    JsonNode observation = a.json().at("/observations/0");
    assertThat(observation.at("/resource/resourceType").asText()).isEqualTo("Observation");
    assertThat(observation.at("/resource/valueQuantity/value").asInt()).isEqualTo(71);
    assertThat(observation.at("/server/status").asText()).isEqualTo("not-compared");
    JsonNode error = a.json().at("/errors/0");
    assertThat(a.json().path("errors")).hasSize(1);
    assertThat(error.path("message").asInt()).isEqualTo(1);
    assertThat(error.path("error").asText()).isEqualTo("IncompatibleDataException");
    assertThat(error.path("stage").asText()).isEqualTo("Normalization");
    assertThat(error.path("text").asText())
        .startsWith("Unable to extract required value for [")
        .contains("$.matchedToken.deviceId");
    assertThat(error.has("origin")).isTrue();
    if (!error.path("origin").isNull()) {
      assertThat(error.at("/origin/mapping").asText()).isEqualTo("device");
      assertThat(error.at("/origin/typeName").asText()).isEqualTo("heartrate");
    }
  }

  @Test
  void withAConnectorEachObservationIsComparedWithWhatItsFhirServerHolds() throws Exception {
    String device = "cmp-" + UUID.randomUUID().toString().substring(0, 8);
    String written = heartRate(device, "2026-03-01T10:00:00Z", 70);
    assertThat(service.ingest("test", written).statusCode()).isEqualTo(202);
    assertThat(FhirCounts.awaitObservations(fhir.baseUrl(), device, 1)).isEqualTo(1);

    Answer same =
        contributor(
            "POST",
            "/api/console/mappings/test",
            test(List.of(written, heartRate(device, "2026-03-01T10:05:00Z", 75)), "test"));
    assertThat(same.status()).isEqualTo(200);
    assertThat(same.json().path("observations")).hasSize(2);
    JsonNode unchanged = same.json().at("/observations/0/server");
    assertThat(unchanged.path("status").asText()).isEqualTo("unchanged");
    assertThat(unchanged.at("/current/valueQuantity/value").asInt()).isEqualTo(70);
    assertThat(same.json().at("/observations/1/server/status").asText()).isEqualTo("new");
    assertThat(same.json().at("/observations/1/server/current").isNull()).isTrue();

    Answer other =
        contributor(
            "POST",
            "/api/console/mappings/test",
            test(List.of(heartRate(device, "2026-03-01T10:00:00Z", 99)), "test"));
    JsonNode changed = other.json().at("/observations/0");
    assertThat(changed.at("/server/status").asText()).isEqualTo("changed");
    assertThat(changed.at("/server/current/valueQuantity/value").asInt()).isEqualTo(70);
    assertThat(changed.at("/resource/valueQuantity/value").asInt()).isEqualTo(99);
    assertThat(changed.at("/resource/status").asText()).isEqualTo("amended");
    // read only: FHIR still holds the one Observation, with its value
    assertThat(FhirObservations.countOfDevice(fhir.baseUrl(), device)).isEqualTo(1);
  }

  @Test
  void aConnectorOfTheConfigurationShowsItsMappingFilesAndCannotBeSavedHere() throws Exception {
    Answer a =
        call("GET", "/api/console/connectors/test/mappings", null, ManagementApiIT.READER_KEY);

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().path("origin").asText()).isEqualTo("configuration");
    assertThat(a.json().path("deviceMapping").asText()).isEqualTo(sample("device-mapping.json"));
    assertThat(a.json().path("fhirMapping").asText()).isEqualTo(sample("fhir-mapping.json"));
    assertThat(a.json().path("management").isNull()).isTrue();

    ObjectNode save = JSON.createObjectNode().put("deviceMapping", sample("device-mapping.json"));
    Answer refused = contributor("PUT", "/api/console/connectors/test/mappings", save);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().at("/error/code").asText()).isEqualTo("NotAvailable");

    Answer unknown =
        call("GET", "/api/console/connectors/nope/mappings", null, ManagementApiIT.READER_KEY);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().at("/error/code").asText()).isEqualTo("ConnectorNotFound");
  }

  @Test
  void aManagementMadeConnectorsMappingsAreSavedThroughTheManagementApiAndUsedLive()
      throws Exception {
    Answer before =
        call(
            "GET",
            "/api/console/connectors/" + DEBUG + "/mappings",
            null,
            ManagementApiIT.READER_KEY);
    assertThat(before.status()).isEqualTo(200);
    assertThat(before.json().path("origin").asText()).isEqualTo("management");
    JsonNode arm =
        MappingDebuggerApiIT.arm.get(WS + "/iotconnectors/debug/fhirdestinations/dest").json();
    assertThat(before.json().at("/management/fhirDestinationId").asText())
        .isEqualTo(arm.path("id").asText());
    assertThat(before.json().at("/management/fhirDestinationEtag").asText())
        .isEqualTo(arm.path("etag").asText());
    assertThat(JSON.readTree(before.json().path("fhirMapping").asText()))
        .isEqualTo(arm.at("/properties/fhirMapping/content"));
    assertThat(
            JSON.readTree(before.json().path("deviceMapping").asText())
                .at("/template/0/template/patientIdExpression")
                .asText())
        .isEqualTo("$.patientid");

    String fhirMapping = before.json().path("fhirMapping").asText().replace("8867-4", "8889-8");
    ObjectNode stale =
        JSON.createObjectNode()
            .put("fhirMapping", fhirMapping)
            .put("fhirDestinationEtag", "\"not-the-etag\"");
    Answer refused = contributor("PUT", "/api/console/connectors/" + DEBUG + "/mappings", stale);
    assertThat(refused.status()).isEqualTo(412);
    assertThat(refused.json().at("/error/code").asText()).isEqualTo("PreconditionFailed");

    ObjectNode save =
        JSON.createObjectNode()
            .put("fhirMapping", fhirMapping)
            .put(
                "fhirDestinationEtag",
                before.json().at("/management/fhirDestinationEtag").asText());
    Answer saved = contributor("PUT", "/api/console/connectors/" + DEBUG + "/mappings", save);
    assertThat(saved.status()).as(String.valueOf(saved.json())).isEqualTo(200);
    assertThat(saved.json().at("/management/fhirDestinationEtag").asText())
        .isNotBlank()
        .isNotEqualTo(before.json().at("/management/fhirDestinationEtag").asText());
    assertThat(saved.json().path("fhirMapping").asText()).contains("8889-8");
    Await.untilEquals(
        "the new FHIR mapping provisioned",
        () ->
            MappingDebuggerApiIT.arm
                .get(WS + "/iotconnectors/debug/fhirdestinations/dest")
                .json()
                .at("/properties/provisioningState")
                .asText(),
        "Succeeded",
        ManagementApiIT.OPERATION);

    String device = "live-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(service.ingest(DEBUG, ManagementApiIT.heartRate(device, 1, 80)).statusCode())
        .isEqualTo(202);
    assertThat(FhirCounts.awaitObservations(fhir.baseUrl(), device, 1)).isEqualTo(1);
    assertThat(FhirObservations.loincCodesOfDevice(fhir.baseUrl(), device))
        .containsExactly("8889-8");

    Answer invalid =
        contributor(
            "PUT",
            "/api/console/connectors/" + DEBUG + "/mappings",
            JSON.createObjectNode()
                .put("fhirMapping", "{\"templateType\": \"CollectionFhir\", \"template\": [{}]}"));
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.json().at("/error/code").asText()).isEqualTo("InvalidRequest");
  }

  @Test
  void readersMayTestMappingsButNotSaveAndCallersWithoutAKeyNothing() throws Exception {
    String validate = "{\"deviceMapping\": null}";
    // Validating and testing change nothing: a reader may.
    Answer reader =
        call("POST", "/api/console/mappings/validate", validate, ManagementApiIT.READER_KEY);
    assertThat(reader.status()).as(reader.body()).isEqualTo(200);
    assertThat(
            call(
                    "POST",
                    "/api/console/mappings/test",
                    JSON.writeValueAsString(
                        test(List.of(heartRate("reader", "2026-03-01T10:00:00Z", 70)), null)),
                    ManagementApiIT.READER_KEY)
                .status())
        .isEqualTo(200);
    assertThat(
            call(
                    "PUT",
                    "/api/console/connectors/" + DEBUG + "/mappings",
                    "{}",
                    ManagementApiIT.READER_KEY)
                .status())
        .isEqualTo(403);
    Answer anonymous = call("POST", "/api/console/mappings/validate", validate, null);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.json().at("/error/code").asText()).isNotBlank();
    assertThat(call("GET", "/api/console/connectors/test/mappings", null, null).status())
        .isEqualTo(401);
  }

  @Test
  void requestsBeyondTheLimitsAreRefusedAsInvalid() throws Exception {
    List<String> many = java.util.Collections.nCopies(101, "{}");
    Answer tooMany = contributor("POST", "/api/console/mappings/test", test(many, null));
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.json().at("/error/code").asText()).isEqualTo("InvalidRequest");
    assertThat(tooMany.json().at("/error/message").asText()).contains("100");

    String big = "{\"value\": \"" + "x".repeat(1024 * 1024) + "\"}";
    Answer tooLarge = contributor("POST", "/api/console/mappings/test", test(List.of(big), null));
    assertThat(tooLarge.status()).isEqualTo(400);
    assertThat(tooLarge.json().at("/error/code").asText()).isEqualTo("InvalidRequest");
    assertThat(tooLarge.json().at("/error/message").asText()).contains("1 MiB");
  }

  @Test
  void aConnectorWithAClientSecretNeverShowsIt() throws Exception {
    Answer mappings =
        call("GET", "/api/console/connectors/guarded/mappings", null, ManagementApiIT.READER_KEY);
    assertThat(mappings.status()).isEqualTo(200);

    Answer compared =
        contributor(
            "POST",
            "/api/console/mappings/test",
            test(List.of(heartRate("g-1", "2026-03-01T10:00:00Z", 70)), "guarded"));
    assertThat(compared.status()).isEqualTo(200);
    JsonNode server = compared.json().at("/observations/0/server");
    assertThat(server.path("status").asText()).isEqualTo("unavailable");
    assertThat(server.path("message").asText()).isNotBlank();
    // call() already checked that neither answer holds the secret or a key
  }
}
