package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iomt.service.management.security.ManagementAudit;
import io.iomt.service.management.security.ManagementCaller;
import io.iomt.service.management.security.TestIssuer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The management API's authentication and roles on the running service, with API keys and tokens of
 * a real OpenID issuer on loopback ({@link TestIssuer}). A stand-in controller takes the place of
 * the management API (only where {@code test.management-stand-in} is set, so no other test sees
 * it); the refusals come from the security layer before any controller. No FHIR server is needed.
 */
@ExtendWith(OutputCaptureExtension.class)
class ManagementSecurityIT {
  static final String READER_KEY = "reader-key-0123456789abcdef";
  static final String CONTRIBUTOR_KEY = "contributor-key-0123456789abcdef";
  static final String AUDIENCE = "api://iomt-management";
  static final String PROVIDER = "/subscriptions/sub-1/resourceGroups/rg-1/providers/";
  static final String WORKSPACE = PROVIDER + "Microsoft.HealthcareApis/workspaces/ws1";
  static final String THING = PROVIDER + "Microsoft.IomtSecurityTest/things/thing1";
  static final ObjectMapper JSON = new ObjectMapper();
  static final Map<String, String> REASONS =
      Map.of(
          "expired", "expired",
          "wrong issuer", "iss claim",
          "wrong audience", "aud claim",
          "bad signature", "signature");

  static TestIssuer issuer;
  static RunningService service;
  final HttpClient http = HttpClient.newHttpClient();

  /**
   * Answers with the caller the security layer established, and audits its PUTs. Only where {@code
   * test.management-stand-in} is set, in case a scan ever finds it.
   */
  @RestController
  @ConditionalOnProperty(name = "test.management-stand-in", havingValue = "true")
  static class StandInController {
    private final ManagementAudit audit;

    StandInController(ManagementAudit audit) {
      this.audit = audit;
    }

    @GetMapping(PROVIDER + "Microsoft.IomtSecurityTest/things/{name}")
    Map<String, Object> get() {
      return caller();
    }

    @PutMapping(PROVIDER + "Microsoft.IomtSecurityTest/things/{name}")
    Map<String, Object> put() {
      audit.record("PUT", THING, "accepted");
      return caller();
    }

    private static Map<String, Object> caller() {
      ManagementCaller c = ManagementCaller.current().orElseThrow();
      return Map.of(
          "createdBy", c.name(), "createdByType", c.type().armName(), "role", c.roleName());
    }
  }

  @BeforeAll
  static void start() throws Exception {
    issuer = TestIssuer.start();
    Map<String, Object> p =
        RunningService.defaults(
            Files.createTempDirectory("iomt-management-security"), "http://127.0.0.1:9/fhir");
    p.put("test.management-stand-in", "true");
    p.put("logging.level.io.iomt.audit", "INFO");
    p.put("iomt.management.api-keys[0].name", "dashboard");
    p.put("iomt.management.api-keys[0].key", READER_KEY);
    p.put("iomt.management.api-keys[0].role", "reader");
    p.put("iomt.management.api-keys[1].name", "deploy-pipeline");
    p.put("iomt.management.api-keys[1].key", CONTRIBUTOR_KEY);
    p.put("iomt.management.api-keys[1].role", "contributor");
    p.put("iomt.management.oauth2.issuer-uri", issuer.uri());
    p.put("iomt.management.oauth2.audiences[0]", AUDIENCE);
    // Registered here: component scanning leaves out classes nested in tests.
    service = RunningService.start(p, application -> application.sources(StandInController.class));
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
    if (issuer != null) {
      issuer.close();
    }
  }

  HttpResponse<String> send(String method, String path, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(service.baseUrl + path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .method(
                method,
                method.equals("GET")
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString("{\"location\":\"westeurope\"}"));
    headers.forEach(r::header);
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  static Map<String, String> key(String key) {
    return Map.of("X-API-Key", key);
  }

  static Map<String, String> bearer(String value) {
    return Map.of("Authorization", "Bearer " + value);
  }

  static JsonNode error(HttpResponse<String> response) throws Exception {
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.fieldNames()).toIterable().containsExactly("error");
    return body.get("error");
  }

  double changes(String action, String type, String outcome) {
    Counter c =
        service
            .bean(MeterRegistry.class)
            .find("iomt.management.changes")
            .tags("action", action, "resource_type", type, "outcome", outcome)
            .counter();
    return c == null ? 0 : c.count();
  }

  String contributorToken() {
    return issuer.token(
        c ->
            c.audience(AUDIENCE)
                .claim("roles", List.of("IoMT.Contributor"))
                .claim("scp", "x")
                .claim("preferred_username", "alice@example.com"));
  }

  @Test
  void aRequestWithoutCredentialsIsAnsweredAuthenticationFailedInArmShape() throws Exception {
    HttpResponse<String> r = send("GET", WORKSPACE + "?api-version=2024-03-31", Map.of());

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    JsonNode e = error(r);
    assertThat(e.get("code").asText()).isEqualTo("AuthenticationFailed");
    assertThat(e.get("message").asText()).contains("X-API-Key").contains(issuer.uri());
  }

  @Test
  void anUnknownKeyOrTheIngestKeyIsRefusedWithoutBeingEchoed() throws Exception {
    String unknown = "not-a-key-0123456789abcdef";
    for (Map<String, String> headers :
        List.of(key(unknown), bearer(unknown), key(RunningService.API_KEY))) {
      HttpResponse<String> r = send("GET", WORKSPACE, headers);

      assertThat(r.statusCode()).as("%s", headers.keySet()).isEqualTo(401);
      assertThat(error(r).get("code").asText()).isEqualTo("AuthenticationFailed");
      assertThat(r.body()).doesNotContain(unknown).doesNotContain(RunningService.API_KEY);
    }
  }

  @Test
  void aReaderKeyReadsButItsWriteIsRefusedAuditedAndCounted(CapturedOutput output)
      throws Exception {
    HttpResponse<String> read = send("GET", THING, key(READER_KEY));
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(read.body()).get("createdBy").asText()).isEqualTo("dashboard");
    assertThat(send("GET", THING, bearer(READER_KEY)).statusCode()).isEqualTo(200);
    double before = changes("PUT", "workspaces", "refused:AuthorizationFailed");

    HttpResponse<String> write = send("PUT", WORKSPACE, key(READER_KEY));

    assertThat(write.statusCode()).isEqualTo(403);
    JsonNode e = error(write);
    assertThat(e.get("code").asText()).isEqualTo("AuthorizationFailed");
    assertThat(e.get("message").asText())
        .startsWith(
            "The client 'dashboard' with role 'reader' does not have authorization to perform"
                + " action 'PUT' over scope '"
                + WORKSPACE
                + "'.");
    assertThat(changes("PUT", "workspaces", "refused:AuthorizationFailed")).isEqualTo(before + 1);
    assertThat(output.getOut())
        .contains("who=dashboard type=Key role=reader action=PUT resource=" + WORKSPACE)
        .contains("outcome=refused:AuthorizationFailed")
        .doesNotContain(READER_KEY);
    assertThat(service.get("/actuator/prometheus", RunningService.API_KEY).body())
        .contains("iomt_management_changes_total{");
  }

  @Test
  void aContributorKeyWritesAsAKeyCaller(CapturedOutput output) throws Exception {
    for (Map<String, String> headers : List.of(key(CONTRIBUTOR_KEY), bearer(CONTRIBUTOR_KEY))) {
      HttpResponse<String> r = send("PUT", THING, headers);

      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode caller = JSON.readTree(r.body());
      assertThat(caller.get("createdBy").asText()).isEqualTo("deploy-pipeline");
      assertThat(caller.get("createdByType").asText()).isEqualTo("Key");
      assertThat(caller.get("role").asText()).isEqualTo("contributor");
    }
    assertThat(output.getOut())
        .contains("who=deploy-pipeline type=Key role=contributor action=PUT")
        .doesNotContain(CONTRIBUTOR_KEY);
  }

  @Test
  void aValidTokenWithTheContributorRoleWritesAsItsUser() throws Exception {
    HttpResponse<String> r = send("PUT", THING, bearer(contributorToken()));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode caller = JSON.readTree(r.body());
    assertThat(caller.get("createdBy").asText()).isEqualTo("alice@example.com");
    assertThat(caller.get("createdByType").asText()).isEqualTo("User");
    assertThat(caller.get("role").asText()).isEqualTo("contributor");

    String app =
        issuer.token(
            c ->
                c.audience(AUDIENCE)
                    .claim("roles", "IoMT.Reader")
                    .claim("azp", "client-1")
                    .claim("oid", "object-1")
                    .claim("idtyp", "app"));
    HttpResponse<String> read = send("GET", THING, bearer(app));
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    assertThat(JSON.readTree(read.body()).get("createdBy").asText()).isEqualTo("object-1");
    assertThat(JSON.readTree(read.body()).get("createdByType").asText()).isEqualTo("Application");
  }

  @Test
  void anExpiredForeignMisaddressedOrForgedTokenIsRefused() throws Exception {
    Instant past = Instant.now().minus(Duration.ofHours(2));
    Map<String, String> tokens = new LinkedHashMap<>();
    tokens.put(
        "expired",
        issuer.token(
            c ->
                c.audience(AUDIENCE)
                    .claim("roles", List.of("IoMT.Contributor"))
                    .issueTime(Date.from(past))
                    .notBeforeTime(Date.from(past))
                    .expirationTime(Date.from(past.plusSeconds(600)))));
    tokens.put(
        "wrong issuer",
        issuer.token(
            c ->
                c.audience(AUDIENCE)
                    .claim("roles", List.of("IoMT.Contributor"))
                    .issuer("https://login.example.com/other")));
    tokens.put(
        "wrong audience",
        issuer.token(
            c -> c.audience("api://someone-else").claim("roles", List.of("IoMT.Contributor"))));
    tokens.put(
        "bad signature",
        issuer.forge(c -> c.audience(AUDIENCE).claim("roles", List.of("IoMT.Contributor"))));

    for (Map.Entry<String, String> t : tokens.entrySet()) {
      HttpResponse<String> r = send("PUT", THING, bearer(t.getValue()));

      assertThat(r.statusCode()).as(t.getKey()).isEqualTo(401);
      assertThat(error(r).get("code").asText()).isEqualTo("AuthenticationFailed");
      assertThat(error(r).get("message").asText())
          .as(t.getKey())
          .startsWith("The bearer token is not valid: ")
          .containsIgnoringCase(REASONS.get(t.getKey()));
      assertThat(r.body()).doesNotContain(t.getValue());
      assertThat(r.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
    }
  }

  @Test
  void aTokenWithTheReaderRoleCannotWrite() throws Exception {
    String reader =
        issuer.token(
            c ->
                c.audience(AUDIENCE)
                    .claim("roles", List.of("IoMT.Reader"))
                    .claim("upn", "bob@example.com"));

    assertThat(send("GET", THING, bearer(reader)).statusCode()).isEqualTo(200);
    HttpResponse<String> r = send("DELETE", WORKSPACE, bearer(reader));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(error(r).get("message").asText())
        .startsWith(
            "The client 'bob@example.com' with role 'reader' does not have authorization"
                + " to perform action 'DELETE'");
  }

  @Test
  void ingestAndActuatorKeepTheirOwnKeys() throws Exception {
    assertThat(service.post("/ingest/test", "{}", null).statusCode()).isEqualTo(401);
    assertThat(service.post("/ingest/test", "{}", CONTRIBUTOR_KEY).statusCode())
        .as("a management key is no ingest key")
        .isEqualTo(401);
    assertThat(service.get("/actuator/health", null).body()).doesNotContain("components");
    assertThat(service.get("/actuator/health", RunningService.API_KEY).body())
        .contains("components");
  }
}
