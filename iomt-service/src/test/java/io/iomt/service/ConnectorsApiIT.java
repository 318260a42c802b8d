package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iomt.testkit.Await;
import io.iomt.testkit.FaultInjectingProxy;
import io.iomt.testkit.HapiFhirServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The console's session and connectors API on the real service (embedded broker, HAPI FHIR server
 * behind a {@link FaultInjectingProxy}), started once: exact totals and errors after ingest, the
 * history's rates, a FHIR outage shown on the blocked group stage and the FHIR health and its
 * recovery, the caller's roles, and no secret of the settings in any answer. The tests run in order
 * (the totals are this replica's since it started).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectorsApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final String CONTRIBUTOR_KEY = "console-contributor-key-0123";
  private static final String READER_KEY = "console-reader-key-0123456789";
  private static final String PASSWORD = "pa55-in-fhir-url";
  private static final String CLIENT_SECRET = "oauth-client-s3cret-value";

  private static String hapi;
  private static FaultInjectingProxy proxy;
  private static RunningService service;
  private static String shownUrl;

  /** Every answer of the API, checked for secrets at the end. */
  private static final List<String> ANSWERS = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    hapi = HapiFhirServer.shared().baseUrl();
    proxy = FaultInjectingProxy.start(hapi);
    shownUrl = proxy.baseUrl().replaceAll("/$", "");
    Map<String, Object> p =
        RunningService.defaults(
            Files.createTempDirectory("iomt-console-connectors"),
            proxy.baseUrl().replace("http://", "http://admin:" + PASSWORD + "@"));
    p.put("iomt.connectors.test.fhir.max-backoff", "1s");
    p.put("iomt.console.history-interval", "1s");
    p.put("iomt.management.api-keys[0].name", "alice");
    p.put("iomt.management.api-keys[0].key", CONTRIBUTOR_KEY);
    p.put("iomt.management.api-keys[0].role", "contributor");
    p.put("iomt.management.api-keys[1].name", "bob");
    p.put("iomt.management.api-keys[1].key", READER_KEY);
    p.put("iomt.management.api-keys[1].role", "reader");
    // A second connector whose FHIR server needs an OAuth2 client secret it never gets a token
    // with (nothing listens on port 1): listed, its FHIR DOWN, its secret nowhere.
    String vault = "iomt.connectors.vault.";
    p.put(vault + "device-mapping", RunningService.SAMPLES.resolve("device-mapping.json"));
    p.put(vault + "fhir-mapping", RunningService.SAMPLES.resolve("fhir-mapping.json"));
    p.put(vault + "fhir.url", "http://127.0.0.1:1/fhir");
    p.put(vault + "fhir.auth.type", "oauth2");
    p.put(vault + "fhir.auth.token-url", "http://127.0.0.1:1/token");
    p.put(vault + "fhir.auth.client-id", "connector");
    p.put(vault + "fhir.auth.client-secret", CLIENT_SECRET);
    p.put(vault + "fhir.auth.scope", "fhir");
    service = RunningService.start(p);
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  @Order(1)
  void theSessionNamesTheCallersRolesAndACallWithoutAKeyIsRefused() throws Exception {
    assertThat(json(get("/api/console/session", READER_KEY)))
        .isEqualTo(JSON.readTree("{\"roles\":[\"reader\"]}"));
    assertThat(json(get("/api/console/session", CONTRIBUTOR_KEY)))
        .isEqualTo(JSON.readTree("{\"roles\":[\"reader\",\"contributor\"]}"));

    for (String path :
        List.of(
            "/api/console/session",
            "/api/console/connectors",
            "/api/console/connectors/test/history")) {
      HttpResponse<String> anonymous = service.get(path, null);
      assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
      assertThat(JSON.readTree(anonymous.body()).at("/error/code").asText()).isNotEmpty();
    }
    assertThat(service.get("/api/console/connectors", RunningService.API_KEY).statusCode())
        .as("an ingest key is no management key")
        .isEqualTo(401);

    HttpResponse<String> unknown = get("/api/console/connectors/nope/history", READER_KEY);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()))
        .isEqualTo(
            JSON.readTree(
                "{\"error\":{\"code\":\"ConnectorNotFound\","
                    + "\"message\":\"No connector named 'nope' runs on this service.\"}}"));
  }

  @Test
  @Order(2)
  void afterIngestTheTotalsErrorsHistoryAndLagAreExact() throws Exception {
    // A first point before any message: every message counted later falls between two samples.
    awaitHistory("a first point", h -> h.path("points").size() >= 1);

    String device = "console-" + UUID.randomUUID().toString().substring(0, 8);
    for (int s = 0; s < 5; s++) {
      assertThat(service.ingest("test", ServiceIT.heartRate(device, s, 60 + s)).statusCode())
          .isEqualTo(202);
    }
    String noTime = "{\"deviceId\":\"" + device + "\",\"patientId\":\"p\",\"heartRate\":70}";
    assertThat(service.ingest("test", noTime).statusCode()).isEqualTo(202);
    int observations = FhirCounts.awaitObservations(hapi, device, 5);

    JsonNode test =
        awaitConnector(
            "all written and the dead letter counted",
            c ->
                c.at("/totals/observationsCreated").asLong() >= observations
                    && c.at("/totals/deadLetters").asLong() == 1);
    assertThat(test.path("totals"))
        .isEqualTo(
            JSON.readTree(
                "{\"messages\":6,\"measurements\":5,\"observationsCreated\":"
                    + observations
                    + ",\"observationsUpdated\":0,\"deadLetters\":1}"));
    assertThat(test.path("errorsByName"))
        .isEqualTo(JSON.readTree("{\"IncompatibleDataException\":1}"));
    assertThat(test.path("origin").asText()).isEqualTo("configuration");
    assertThat(test.path("source"))
        .isEqualTo(
            JSON.readTree(
                "{\"type\":\"kafka\",\"topic\":\"test-events\",\"health\":\"UP\","
                    + "\"detail\":\"embedded broker, 1 node(s)\"}"));
    assertThat(test.at("/fhir/url").asText()).isEqualTo(shownUrl);
    assertThat(test.at("/fhir/health").asText()).isEqualTo("UP");
    assertThat(test.path("stages"))
        .isEqualTo(
            JSON.readTree(
                "[{\"name\":\"normalize\",\"state\":\"running\"},"
                    + "{\"name\":\"group\",\"state\":\"running\"}]"));

    // Once every message is sampled, the rates add up to the counts.
    JsonNode history =
        awaitHistory(
            "every message and Observation sampled",
            h -> sum(h, "messagesPerSecond") > 5.5 && sum(h, "observationsPerSecond") > 4.5);
    assertThat(history.path("intervalSeconds").asInt()).isEqualTo(1);
    assertThat(sum(history, "messagesPerSecond")).isCloseTo(6.0, within(0.05));
    assertThat(sum(history, "measurementsPerSecond")).isCloseTo(5.0, within(0.05));
    assertThat(sum(history, "observationsPerSecond")).isCloseTo(observations, within(0.05));
    assertThat(sum(history, "errorsPerSecond")).isCloseTo(1.0, within(0.05));

    // The lag as the broker knows it: all committed once the stages are done.
    JsonNode settled =
        awaitConnector(
            "lag measured and nothing left",
            c ->
                c.at("/lag/normalize").isNumber()
                    && c.at("/lag/group").isNumber()
                    && c.at("/lag/normalize").asLong() == 0
                    && c.at("/lag/group").asLong() == 0);
    assertThat(settled.path("lag")).isEqualTo(JSON.readTree("{\"normalize\":0,\"group\":0}"));
    awaitHistory(
        "lag in the history",
        h -> {
          JsonNode points = h.path("points");
          return points.size() > 0 && points.get(points.size() - 1).path("lagGroup").isNumber();
        });

    JsonNode vault = connector("vault");
    assertThat(vault.path("name").asText()).isEqualTo("vault");
    assertThat(vault.at("/fhir/url").asText()).isEqualTo("http://127.0.0.1:1/fhir");
    assertThat(vault.at("/fhir/health").asText()).isEqualTo("DOWN");
    assertThat(vault.path("totals"))
        .isEqualTo(
            JSON.readTree(
                "{\"messages\":0,\"measurements\":0,\"observationsCreated\":0,"
                    + "\"observationsUpdated\":0,\"deadLetters\":0}"));
  }

  @Test
  @Order(3)
  void aFhirOutageShowsTheGroupStageBlockedAndFhirDownUntilItRecovers() throws Exception {
    long createdBefore = connector("test").at("/totals/observationsCreated").asLong();
    proxy.failNext(1_000_000, 503, null);
    String device = "console-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(service.ingest("test", ServiceIT.heartRate(device, 30, 90)).statusCode())
        .isEqualTo(202);

    JsonNode during =
        awaitConnector(
            "the group stage blocked", c -> "blocked".equals(c.at("/stages/1/state").asText()));
    JsonNode group = during.at("/stages/1");
    assertThat(group.path("name").asText()).isEqualTo("group");
    assertThat(group.path("error").asText()).isEqualTo("FhirServiceUnavailableException");
    assertThat(group.path("message").asText())
        .contains("The FHIR server " + shownUrl)
        .doesNotContain(device);
    assertThat(Instant.parse(group.path("retryAt").asText())).isNotNull();
    assertThat(during.at("/stages/0").path("state").asText()).isEqualTo("running");
    assertThat(during.at("/fhir/health").asText()).isEqualTo("DOWN");
    assertThat(during.at("/fhir/detail").asText()).isEqualTo("GET metadata: HTTP 503");
    assertThat(during.at("/source/health").asText()).isEqualTo("UP");
    assertThat(during.at("/errorsByName/FhirServiceUnavailableException").asLong()).isPositive();

    proxy.clearFaults();
    assertThat(FhirCounts.awaitObservations(hapi, device, 1)).isEqualTo(1);
    JsonNode after =
        awaitConnector(
            "FHIR back",
            c ->
                "running".equals(c.at("/stages/1/state").asText())
                    && "UP".equals(c.at("/fhir/health").asText())
                    && c.at("/totals/observationsCreated").asLong() == createdBefore + 1);
    assertThat(after.at("/stages/1"))
        .isEqualTo(JSON.readTree("{\"name\":\"group\",\"state\":\"running\"}"));
    assertThat(after.at("/totals/messages").asLong()).isEqualTo(7);
    assertThat(after.at("/errorsByName/IncompatibleDataException").asLong()).isEqualTo(1);
  }

  @Test
  @Order(4)
  void noAnswerHoldsASecret() throws Exception {
    get("/api/console/connectors", READER_KEY);
    get("/api/console/connectors/vault/history", READER_KEY);
    assertThat(ANSWERS).isNotEmpty();
    for (String answer : ANSWERS) {
      assertThat(answer)
          .doesNotContain(PASSWORD, CLIENT_SECRET, READER_KEY, CONTRIBUTOR_KEY)
          .doesNotContain(RunningService.API_KEY)
          .doesNotContain("admin:");
    }
  }

  private static HttpResponse<String> get(String path, String key) throws Exception {
    HttpResponse<String> r = service.get(path, key);
    synchronized (ANSWERS) {
      ANSWERS.add(r.body());
    }
    return r;
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** The connector of that name in {@code GET /api/console/connectors}. */
  private static JsonNode connector(String name) throws Exception {
    JsonNode list = json(get("/api/console/connectors", READER_KEY));
    List<String> names = new ArrayList<>();
    list.forEach(c -> names.add(c.path("name").asText()));
    assertThat(names).containsExactlyInAnyOrder("test", "vault");
    return named(list, name);
  }

  private static JsonNode named(JsonNode list, String name) {
    for (JsonNode c : list) {
      if (name.equals(c.path("name").asText())) {
        return c;
      }
    }
    return null;
  }

  /** The rate times the time since the point before, summed: what the counter grew by. */
  private static double sum(JsonNode history, String rate) {
    JsonNode points = history.path("points");
    double total = 0;
    for (int i = 1; i < points.size(); i++) {
      Instant before = Instant.parse(points.get(i - 1).path("time").asText());
      Instant now = Instant.parse(points.get(i).path("time").asText());
      total +=
          points.get(i).path(rate).asDouble() * Duration.between(before, now).toMillis() / 1000.0;
    }
    return total;
  }

  /** Reads the connectors until the connector {@code test} satisfies {@code done}; that one. */
  private static JsonNode awaitConnector(String what, Predicate<JsonNode> done) {
    JsonNode list =
        await(
            "/api/console/connectors",
            what,
            all -> named(all, "test") != null && done.test(named(all, "test")));
    return named(list, "test");
  }

  private static JsonNode awaitHistory(String what, Predicate<JsonNode> done) {
    return await("/api/console/connectors/test/history", what, done);
  }

  private static JsonNode await(String path, String what, Predicate<JsonNode> done) {
    return Await.atMost(PATIENCE)
        .every(Duration.ofMillis(250))
        .until(
            path + ": " + what,
            () -> {
              HttpResponse<String> r = service.read(path, READER_KEY);
              synchronized (ANSWERS) {
                ANSWERS.add(r.body());
              }
              try {
                return JSON.readTree(r.body());
              } catch (JsonProcessingException e) {
                throw new IllegalStateException(path + " answered no JSON: " + r.body(), e);
              }
            },
            done);
  }
}
