package io.iomt.service.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iomt.core.error.FhirServiceUnavailableException;
import io.iomt.core.error.IncompatibleDataException;
import io.iomt.pipeline.StageMetrics;
import io.iomt.pipeline.StageName;
import io.iomt.pipeline.StageStatus;
import io.iomt.service.ConnectorHealth;
import io.iomt.service.IomtProperties;
import io.iomt.service.ServiceConfiguration;
import io.iomt.service.ServiceConfiguration.ConnectorDefinition;
import io.iomt.service.ServiceMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** The JSON the console answers for connectors and the caller, from known inputs. */
class ConnectorReportsTest {
  private static final Path SAMPLES = Path.of("").toAbsolutePath().getParent().resolve("samples");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String URL_PASSWORD = "pa55-in-url";
  private static final String URL_TOKEN = "t0ken-in-query";
  private static final String CLIENT_SECRET = "oauth-client-s3cret";
  private static final String HUB_KEY = "c2VjcmV0LWh1Yi1rZXk=";
  private static final String STORAGE_KEY = "c3RvcmFnZS1rZXk=";
  private static final String INGEST_KEY = "ingest-key-0123456789abcdef";

  /** A connector with every kind of secret in its settings, and an Event Hubs one. */
  private static List<ConnectorDefinition> secretive() {
    IomtProperties p = new IomtProperties();
    p.getIngest().getApiKeys().add(INGEST_KEY);
    IomtProperties.Connector icu = connector();
    icu.getFhir()
        .setUrl("https://admin:" + URL_PASSWORD + "@fhir.example:8443/r4?code=" + URL_TOKEN);
    icu.getFhir().getAuth().setType("oauth2");
    icu.getFhir().getAuth().setTokenUrl("https://login.example.org/t/oauth2/v2.0/token");
    icu.getFhir().getAuth().setClientId("connector");
    icu.getFhir().getAuth().setClientSecret(CLIENT_SECRET);
    icu.getFhir().getAuth().setScope("https://fhir.example/.default");
    p.getConnectors().put("icu", icu);
    IomtProperties.Connector hub = connector();
    hub.getFhir().setUrl("http://fhir.local/fhir");
    IomtProperties.Source s = hub.getSource();
    s.setType("event-hubs");
    s.setConnectionString(
        "Endpoint=sb://ns-contoso.servicebus.windows.net/;SharedAccessKeyName=service;"
            + "SharedAccessKey="
            + HUB_KEY
            + ";EntityPath=contoso-hub");
    s.setConsumerGroup("iomt");
    s.getCheckpoints()
        .setConnectionString(
            "DefaultEndpointsProtocol=https;AccountName=contosostate;AccountKey="
                + STORAGE_KEY
                + ";EndpointSuffix=core.windows.net");
    s.getCheckpoints().setContainer("iomt-checkpoints");
    p.getConnectors().put("hub", hub);
    return ServiceConfiguration.from(p, Clock.systemUTC()).connectors();
  }

  private static IomtProperties.Connector connector() {
    IomtProperties.Connector c = new IomtProperties.Connector();
    c.setDeviceMapping(SAMPLES.resolve("device-mapping.json"));
    c.setFhirMapping(SAMPLES.resolve("fhir-mapping.json"));
    return c;
  }

  @Test
  void aConnectorIsShownWithItsStagesTotalsErrorsAndLagAndWithoutAnySecret() throws Exception {
    ConnectorDefinition icu = secretive().get(0);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    StageMetrics m = new ServiceMetrics(registry).forConnector("icu");
    for (int i = 0; i < 3; i++) {
      m.incoming();
    }
    m.normalized(2);
    m.normalized(2);
    m.saved(3, 1, 5);
    m.error(new IncompatibleDataException("Unable to extract required value for [X] using $.x"));
    m.error(new FhirServiceUnavailableException("FHIR down", null));
    new ServiceMetrics(registry).forConnector("other").incoming();
    Map<StageName, StageStatus> stages = new LinkedHashMap<>();
    stages.put(StageName.NORMALIZE, new StageStatus.Running());
    stages.put(
        StageName.GROUP,
        new StageStatus.Blocked(
            "FhirServiceUnavailableException",
            "The FHIR server https://admin:"
                + URL_PASSWORD
                + "@fhir.example:8443/r4/ is unavailable: GET Device?identifier=sys|dev-1"
                + " with Authorization: Bearer eyJhbGciOi.secret",
            Instant.parse("2026-11-30T10:00:05Z")));

    ConnectorReport report =
        ConnectorReports.report(
            icu,
            true,
            stages,
            new ConnectorHealth.Check(ConnectorHealth.State.UP, "embedded broker, 1 node(s)"),
            new ConnectorHealth.Check(
                ConnectorHealth.State.DOWN,
                "IOException: token endpoint refused client_secret=" + CLIENT_SECRET),
            ConnectorCounts.read(registry, "icu"),
            Map.of(StageName.GROUP, 12L));

    assertThat(JSON.readTree(JSON.writeValueAsString(report)))
        .isEqualTo(
            JSON.readTree(
                """
                {"name": "icu", "origin": "configuration",
                 "source": {"type": "kafka", "topic": "icu-events", "health": "UP",
                            "detail": "embedded broker, 1 node(s)"},
                 "fhir": {"url": "https://fhir.example:8443/r4", "health": "DOWN",
                          "detail": "IOException: token endpoint refused client_secret=…"},
                 "stages": [
                   {"name": "normalize", "state": "running"},
                   {"name": "group", "state": "blocked", "error": "FhirServiceUnavailableException",
                    "message": "The FHIR server https://fhir.example:8443/r4/ is unavailable: GET Device?identifier=… with Authorization: Bearer …",
                    "retryAt": "2026-11-30T10:00:05Z"}],
                 "totals": {"messages": 3, "measurements": 4, "observationsCreated": 3,
                            "observationsUpdated": 1, "deadLetters": 1},
                 "errorsByName": {"FhirServiceUnavailableException": 1,
                                  "IncompatibleDataException": 1},
                 "lag": {"normalize": null, "group": 12}}
                """));
  }

  @Test
  void anEventHubsSourceShowsItsHubAndNoKey() throws Exception {
    ConnectorDefinition hub = secretive().get(1);
    ConnectorHealth health = new ConnectorHealth(() -> null);
    StageStatus blocked =
        new StageStatus.Blocked(
            "UnauthorizedAccessEventHubException",
            "refused Endpoint=sb://ns-contoso.servicebus.windows.net/;SharedAccessKey=" + HUB_KEY,
            Instant.parse("2026-11-30T10:00:05Z"));

    ConnectorReport report =
        ConnectorReports.report(
            hub,
            false,
            Map.of(StageName.NORMALIZE, blocked),
            health.source(hub, blocked),
            new ConnectorHealth.Check(ConnectorHealth.State.UNKNOWN, "not asked"),
            ConnectorCounts.read(new SimpleMeterRegistry(), "hub"),
            Map.of());

    String json = JSON.writeValueAsString(report);
    assertThat(report.origin()).isEqualTo("management");
    assertThat(report.source().type()).isEqualTo("event-hubs");
    assertThat(report.source().topic())
        .isEqualTo("ns-contoso.servicebus.windows.net/contoso-hub (iomt)");
    assertThat(report.source().health()).isEqualTo("DOWN");
    assertThat(report.source().detail())
        .isEqualTo(
            "ns-contoso.servicebus.windows.net/contoso-hub (iomt):"
                + " UnauthorizedAccessEventHubException: refused"
                + " Endpoint=sb://ns-contoso.servicebus.windows.net/;SharedAccessKey=…");
    assertThat(report.totals()).isEqualTo(new ConnectorReport.Totals(0, 0, 0, 0, 0));
    assertThat(json).doesNotContain(HUB_KEY, STORAGE_KEY, INGEST_KEY);
  }

  @Test
  void noSecretOfTheSettingsReachesAnyReport() throws Exception {
    StringBuilder all = new StringBuilder();
    for (ConnectorDefinition d : secretive()) {
      all.append(
          JSON.writeValueAsString(
              ConnectorReports.report(
                  d,
                  true,
                  Map.of(StageName.NORMALIZE, new StageStatus.Stopped(d.sourceDescription())),
                  new ConnectorHealth.Check(ConnectorHealth.State.UNKNOWN, d.sourceDescription()),
                  new ConnectorHealth.Check(ConnectorHealth.State.UNKNOWN, "-"),
                  ConnectorCounts.read(new SimpleMeterRegistry(), d.name()),
                  Map.of())));
    }
    assertThat(all.toString())
        .contains("https://fhir.example:8443/r4", "contoso-hub")
        .doesNotContain(
            URL_PASSWORD, URL_TOKEN, CLIENT_SECRET, HUB_KEY, STORAGE_KEY, INGEST_KEY, "admin");
  }

  @Test
  void theSessionListsTheCallersRolesWeakestFirst() {
    assertThat(ConnectorsController.roles(caller("ROLE_READER"))).containsExactly("reader");
    assertThat(ConnectorsController.roles(caller("ROLE_READER", "ROLE_CONTRIBUTOR")))
        .containsExactly("reader", "contributor");
    assertThat(ConnectorsController.roles(caller())).isEmpty();
    assertThat(ConnectorsController.roles(null)).isEmpty();
  }

  private static UsernamePasswordAuthenticationToken caller(String... authorities) {
    return new UsernamePasswordAuthenticationToken(
        "alice",
        null,
        java.util.Arrays.stream(authorities).map(SimpleGrantedAuthority::new).toList());
  }
}
