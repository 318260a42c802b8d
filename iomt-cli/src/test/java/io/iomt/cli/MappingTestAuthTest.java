package io.iomt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code iomt mapping test --fhir-url} authenticates through the factory the service uses: its
 * problems name the CLI's options, secrets come from environment variables and never show, and the
 * Azure types say that they need the service. A loopback token endpoint and a loopback FHIR
 * endpoint (which knows no device, so the run ends in a data error) show what is sent.
 */
class MappingTestAuthTest {
  private static final Path SAMPLES = MappingTestCommandTest.SAMPLES;

  private final List<String> tokenRequests = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private HttpServer server;

  private String startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/token",
        exchange -> {
          tokenRequests.add(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          respond(
              exchange, "application/json", "{\"access_token\":\"oauth-1\",\"expires_in\":3600}");
        });
    server.createContext(
        "/fhir",
        exchange -> {
          authorizations.add(
              String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          respond(
              exchange,
              "application/fhir+json",
              "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"total\":0}");
        });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void respond(
      com.sun.net.httpserver.HttpExchange exchange, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static CliRun mappingTest(Map<String, String> env, String fhirUrl, String... auth) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "mapping",
                "test",
                "--device-mapping",
                SAMPLES.resolve("device-mapping.json").toString(),
                "--fhir-mapping",
                SAMPLES.resolve("fhir-mapping.json").toString(),
                "--input",
                SAMPLES.resolve("events.json").toString(),
                "--fhir-url",
                fhirUrl));
    args.addAll(List.of(auth));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        IomtCli.run(
            env::get, new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
    return new CliRun(code, out.toString(), err.toString());
  }

  @Test
  void everyMissingOAuth2OptionIsNamedAtOnceBeforeAnythingIsSent() {
    CliRun run =
        mappingTest(
            Map.of(),
            "http://127.0.0.1:9/fhir",
            "--fhir-auth",
            "oauth2",
            "--token-url",
            "ftp://login.example",
            "--client-secret-env",
            "IOMT_TEST_SECRET");

    assertThat(run.exitCode()).isEqualTo(IomtCli.USAGE_OR_MAPPING_ERROR);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines())
        .containsExactly(
            "iomt: --client-secret-env: IOMT_TEST_SECRET is not set",
            "iomt: --token-url: 'ftp://login.example' is not an http(s) URL",
            "iomt: --client-id: required for this auth type",
            "iomt: --scope: required for this auth type");
  }

  @Test
  void anAzureTypeSaysThatItNeedsTheService() {
    CliRun run =
        mappingTest(Map.of(), "http://127.0.0.1:9/fhir", "--fhir-auth", "azure-managed-identity");

    assertThat(run.exitCode()).isEqualTo(IomtCli.USAGE_OR_MAPPING_ERROR);
    assertThat(run.err().lines())
        .containsExactly(
            "iomt: --fhir-auth: auth kind 'azure' needs the iomt-azure module on the classpath;"
                + " the service has it, the CLI does not");
  }

  @Test
  void oauth2ClientCredentialsFetchATokenThatTheFhirRequestsCarry() throws IOException {
    String base = startServer();

    CliRun run =
        mappingTest(
            Map.of("IOMT_TEST_SECRET", "s3cr3t-value"),
            base + "/fhir",
            "--fhir-auth",
            "oauth2",
            "--token-url",
            base + "/token",
            "--client-id",
            "connector",
            "--client-secret-env",
            "IOMT_TEST_SECRET",
            "--scope",
            "fhir/.default");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(IomtCli.DATA_ERROR);
    assertThat(run.out()).contains("DeviceNotFoundException").doesNotContain("s3cr3t-value");
    assertThat(tokenRequests)
        .singleElement()
        .asString()
        .contains("client_id=connector", "client_secret=s3cr3t-value", "scope=fhir%2F.default");
    assertThat(authorizations).isNotEmpty().containsOnly("Bearer oauth-1");
  }

  @Test
  void aBearerTokenEnvironmentVariableAloneStillMeansBearer() throws IOException {
    String base = startServer();

    CliRun run =
        mappingTest(
            Map.of("FHIR_TOKEN", "tok-1"), base + "/fhir", "--bearer-token-env", "FHIR_TOKEN");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(IomtCli.DATA_ERROR);
    assertThat(authorizations).isNotEmpty().containsOnly("Bearer tok-1");
    assertThat(run.out()).doesNotContain("tok-1");
  }

  @Test
  void anUnsetTokenVariableIsReportedAsBefore() {
    CliRun run =
        mappingTest(Map.of(), "http://127.0.0.1:9/fhir", "--bearer-token-env", "FHIR_TOKEN");

    assertThat(run.exitCode()).isEqualTo(IomtCli.USAGE_OR_MAPPING_ERROR);
    assertThat(run.err().lines())
        .containsExactly("iomt: --bearer-token-env: FHIR_TOKEN is not set");
  }

  @Test
  void withoutAuthOptionsNoAuthorizationIsSent() throws IOException {
    String base = startServer();

    CliRun run = mappingTest(Map.of(), base + "/fhir");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(IomtCli.DATA_ERROR);
    assertThat(authorizations).isNotEmpty().containsOnly("null");
  }
}
