package io.iomt.service;

import static io.iomt.service.ManagementApiIT.CONTRIBUTOR_KEY;
import static io.iomt.service.ManagementApiIT.WS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.testkit.Await;
import io.iomt.testkit.FhirObservations;
import io.iomt.testkit.HapiFhirServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web console in a real browser (headless system Chromium driven by Playwright, {@code
 * src/test/js/console-flow.mjs}) against the real service, its embedded KRaft broker and the real
 * HAPI FHIR JPA server: a user signs in, sees the connector, finds the dead letter of a message the
 * connector's mapping could not read, breaks and fixes the mapping in the debugger (the marker
 * comes and goes at the right line), runs the message (an Observation), saves the mapping, replays
 * the dead letter and sees it processed; the Observation is then in FHIR. Screenshots of each page
 * go to {@code target/console-screenshots} (docs/console.md shows them). Needs {@code
 * /usr/bin/chromium} ({@code apt-get install -y chromium}); {@code -Diomt.browser-tests=skip} skips
 * it on a machine without.
 */
class ConsoleBrowserIT {
  static final Path SCRIPT = Path.of("src/test/js/console-flow.mjs");
  static final Path SCREENSHOTS = Path.of("target/console-screenshots");
  static final String CONNECTOR_RESOURCE = "console";

  /** The connector's name in the service: workspace and connector resource names. */
  static final String CONNECTOR = "myworkspace-" + CONNECTOR_RESOURCE;

  static final ObjectMapper JSON = new ObjectMapper();

  static BrowserFlow browser;
  static HapiFhirServer fhir;
  static RunningService service;
  static ArmClient arm;

  @BeforeAll
  static void start() throws Exception {
    browser = BrowserFlow.prepare();
    fhir = HapiFhirServer.shared();
    Path dataDir = Files.createTempDirectory("iomt-console-it");
    service = RunningService.start(ManagementApiIT.managementService(dataDir, fhir.baseUrl()));
    arm = ArmClient.withKey(service.baseUrl, CONTRIBUTOR_KEY);
    arm.awaitReady();
    ManagementApiIT.createConnector(
        arm,
        WS,
        CONNECTOR_RESOURCE,
        ManagementApiIT.ingestConnector(),
        fhir.baseUrl(),
        ArmClient.resource("arm-examples/iotconnector_fhirdestination_Create.json"));
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
  }

  /** The connector's device mapping (the contract's example) as the debugger shows it. */
  static ObjectNode deviceMapping() {
    return (ObjectNode)
        ArmClient.json(ManagementApiIT.ingestConnector()).at("/properties/deviceMapping/content");
  }

  static ObjectNode heartRateTemplate(ObjectNode mapping) {
    return (ObjectNode) mapping.at("/template/0/template");
  }

  /** The 1-based line of the first line of {@code text} that contains {@code part}. */
  static int lineOf(String text, String part) {
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(part)) {
        return i + 1;
      }
    }
    throw new AssertionError("no line has " + part + " in\n" + text);
  }

  @Test
  void aUserFindsADeadLetterFixesTheMappingInTheDebuggerAndReplaysItIntoFhir() throws Exception {
    // A device that sends its time as "time": the connector's mapping reads
    // $.measurementdatetime, so the message becomes a dead letter.
    String device = "console-" + UUID.randomUUID().toString().substring(0, 8);
    String message =
        ManagementApiIT.heartRate(device, 0, 71).replace("\"measurementdatetime\"", "\"time\"");
    HttpResponse<String> ingested = service.ingest(CONNECTOR, message);
    assertThat(ingested.statusCode()).as(ingested.body()).isEqualTo(202);
    JsonNode deadLetter =
        Await.atMost(Duration.ofSeconds(90))
            .every(Duration.ofMillis(500))
            .until(
                "the malformed message to be a dead letter of " + CONNECTOR,
                () ->
                    arm.sendRaw(
                            "GET",
                            service.baseUrl
                                + "/api/console/connectors/"
                                + CONNECTOR
                                + "/dead-letters?device="
                                + device,
                            null,
                            Map.of())
                        .json(),
                page -> page != null && page.path("items").size() > 0)
            .path("items")
            .get(0);

    ObjectNode fixed = deviceMapping();
    heartRateTemplate(fixed).put("timestampExpression", "$.time");
    String fixedText = fixed.toPrettyString();
    ObjectNode broken = fixed.deepCopy();
    heartRateTemplate(broken).put("deviceIdExpression", "$.[deviceid");
    String brokenText = broken.toPrettyString();
    int brokenLine = lineOf(brokenText, "\"deviceIdExpression\"");

    ObjectNode scenario = JSON.createObjectNode();
    scenario.put("connector", CONNECTOR);
    scenario.put("deadLetterError", deadLetter.path("error").asText());
    scenario.put("brokenDeviceMapping", brokenText);
    scenario.put("fixedDeviceMapping", fixedText);
    Files.createDirectories(SCREENSHOTS);
    Path scenarioFile = SCREENSHOTS.resolve("scenario.json");
    Files.writeString(scenarioFile, scenario.toPrettyString());

    BrowserFlow.Result run =
        browser.run(
            SCRIPT,
            SCREENSHOTS,
            Map.of(
                "CONSOLE_URL",
                service.baseUrl,
                "CONSOLE_KEY",
                CONTRIBUTOR_KEY,
                "CONSOLE_SCENARIO",
                scenarioFile.toAbsolutePath().toString()));
    JsonNode result = run.json();
    String why = result.toPrettyString() + "\n" + run.log();

    assertThat(run.failed()).as(why).isFalse();
    // The page is served under its strict CSP, and nothing broke it.
    assertThat(result.path("pageUrl").asText()).as(why).isEqualTo(service.baseUrl + "/console/");
    assertThat(result.path("pageCsp").asText()).as(why).contains("script-src 'self'");
    assertThat(result.path("cspViolations")).as(why).isEmpty();
    assertThat(result.path("pageErrors")).as(why).isEmpty();
    // Sign-in: a wrong key is refused with the server's message; the key is never shown.
    assertThat(result.path("wrongKeyMessage").asText()).as(why).isNotBlank();
    assertThat(result.path("credentialFieldType").asText()).isEqualTo("password");
    assertThat(result.path("keyRendered").asBoolean()).as(why).isFalse();
    assertThat(result.path("roles").asText()).contains("contributor");
    // Connectors: this connector's stages and errors.
    assertThat(result.at("/connector/stages").findValuesAsText("name"))
        .as(why)
        .contains("normalize", "group");
    assertThat(result.at("/connector/errors").toString())
        .as(why)
        .contains(deadLetter.path("error").asText());
    // Dead letters: the malformed message is listed; run in the debugger it is a data error.
    assertThat(result.path("deadLetters").findValuesAsText("id"))
        .as(why)
        .contains(deadLetter.path("id").asText());
    assertThat(result.path("errorsBeforeFix").findValuesAsText("text"))
        .as(why)
        .anySatisfy(text -> assertThat(text).contains("TimestampExpression"));
    // The broken mapping's marker is at the broken expression's line; fixed, it is gone.
    assertThat(result.path("brokenMarkerLines").toString())
        .as(why)
        .isEqualTo("[" + brokenLine + "]");
    assertThat(result.path("fixedMarkerLines")).as(why).isEmpty();
    // The fixed mapping makes the message an Observation, new to the connector's FHIR server.
    assertThat(result.path("errorsAfterFix").asInt()).as(why).isZero();
    assertThat(result.path("observations")).as(why).hasSize(1);
    JsonNode observation = result.at("/observations/0");
    assertThat(observation.at("/resource/resourceType").asText()).isEqualTo("Observation");
    assertThat(observation.at("/resource/code/coding").findValuesAsText("code"))
        .as(why)
        .contains("8867-4");
    assertThat(observation.path("status").asText()).as(why).isEqualTo("new");
    // Saved and replayed: processed, and the Observation is in FHIR.
    assertThat(result.path("saveStatus").asText()).as(why).startsWith("Saved");
    assertThat(result.path("replayStatus").asText()).as(why).isEqualTo("processed");
    assertThat(FhirCounts.awaitObservations(fhir.baseUrl(), device, 1)).isEqualTo(1);
    assertThat(FhirObservations.loincCodesOfDevice(fhir.baseUrl(), device))
        .containsExactly("8867-4");
    // The saved mapping is the connector's now.
    assertThat(
            arm.get(WS + "/iotconnectors/" + CONNECTOR_RESOURCE)
                .json()
                .at("/properties/deviceMapping/content/template/0/template/timestampExpression")
                .asText())
        .isEqualTo("$.time");
    for (String page : List.of("sign-in", "connectors", "dead-letters", "debugger", "replay")) {
      assertThat(SCREENSHOTS.resolve("console-" + page + ".png")).isNotEmptyFile();
    }
  }
}
