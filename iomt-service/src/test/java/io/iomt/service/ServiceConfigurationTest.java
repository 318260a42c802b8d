package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.util.unit.DataSize;

class ServiceConfigurationTest {
  static final Path SAMPLES = RunningService.SAMPLES;

  static IomtProperties valid() {
    IomtProperties p = new IomtProperties();
    p.getIngest().getApiKeys().add("0123456789abcdef0123");
    IomtProperties.Connector c = new IomtProperties.Connector();
    c.setDeviceMapping(SAMPLES.resolve("device-mapping.json"));
    c.setFhirMapping(SAMPLES.resolve("fhir-mapping.json"));
    c.getFhir().setUrl("http://localhost:8080/fhir");
    p.getConnectors().put("ward-a", c);
    return p;
  }

  static InvalidConfigurationException problems(IomtProperties p) {
    return catchThrowableOfType(
        InvalidConfigurationException.class, () -> ServiceConfiguration.from(p, Clock.systemUTC()));
  }

  @Test
  void aValidConfigurationDefaultsTopicsFromTheConnectorNameAndUsesTheEmbeddedBroker() {
    ServiceConfiguration config = ServiceConfiguration.from(valid(), Clock.systemUTC());
    var settings = config.connectors().get(0).settings();
    assertThat(settings.topics().source()).isEqualTo("ward-a-events");
    assertThat(settings.topics().normalized()).isEqualTo("ward-a-normalized");
    assertThat(settings.topics().errors()).isEqualTo("ward-a-errors");
    assertThat(settings.flush().maxEvents()).isEqualTo(1000);
    assertThat(settings.flush().maxAge()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.embeddedBroker()).isTrue();
  }

  @Test
  void everyProblemIsListedAtOnce(@TempDir Path dir) throws Exception {
    Path badMapping = dir.resolve("bad.json");
    Files.writeString(
        badMapping, "{\"templateType\": \"CollectionContent\",\n \"template\": [ {} ]}");
    IomtProperties p = valid();
    p.getIngest().getApiKeys().set(0, "short");
    p.getIngest().setMaxMessageSize(DataSize.ofMegabytes(32));
    IomtProperties.Connector c = p.getConnectors().get("ward-a");
    c.setDeviceMapping(badMapping);
    c.setFhirMapping(dir.resolve("missing.json"));
    c.getFhir().setUrl("ftp://x");
    c.getFhir().setIdentityResolution("Guess");
    c.getFhir().getAuth().setType("oauth2");
    c.getFhir().getAuth().setClientSecret("s3cr3t-value");
    c.getFlush().setMaxEvents(0);
    c.setPartitions(0);
    IomtProperties.Connector twin = new IomtProperties.Connector();
    twin.setSourceTopic("ward-a-events");
    p.getConnectors().put("Ward_B", twin);

    InvalidConfigurationException e = problems(p);

    assertThat(e.problems())
        .contains(
            "iomt.ingest.api-keys[0]: too short (5 characters; at least 16)",
            "iomt.ingest.max-request-size: smaller than max-message-size (16777216B < 33554432B)",
            "iomt.connectors.ward-a.partitions: must be at least 1, got 0",
            "iomt.connectors.ward-a.flush: maxEvents must be positive, got 0",
            "iomt.connectors.ward-a.fhir.url: 'ftp://x' is not an http(s) URL",
            "iomt.connectors.ward-a.fhir.auth.token-url: required for this auth type",
            "iomt.connectors.ward-a.fhir.auth.client-id: required for this auth type",
            "iomt.connectors.ward-a.fhir.auth.scope: required for this auth type",
            "iomt.connectors.Ward_B: the name must be lower-case letters, digits and '-' (≤ 63)",
            "iomt.connectors.Ward_B.source-topic: topic 'ward-a-events' is already"
                + " iomt.connectors.ward-a.source-topic",
            "iomt.connectors.Ward_B.device-mapping: missing (path of the mapping file)",
            "iomt.connectors.Ward_B.fhir-mapping: missing (path of the mapping file)");
    assertThat(e.problems())
        .anySatisfy(
            s ->
                assertThat(s)
                    .startsWith("iomt.connectors.ward-a.device-mapping: " + badMapping + ":2:"))
        .anySatisfy(
            s ->
                assertThat(s)
                    .startsWith("iomt.connectors.ward-a.fhir-mapping: cannot read ")
                    .contains("missing.json"))
        .anySatisfy(
            s ->
                assertThat(s)
                    .startsWith("iomt.connectors.ward-a.fhir.identity-resolution: ")
                    .contains("Lookup, LookupWithEncounter or Create"))
        .anySatisfy(s -> assertThat(s).startsWith("iomt.connectors.Ward_B.fhir.url: missing"));
    assertThat(e.getMessage())
        .startsWith("Invalid configuration (" + e.problems().size() + " problems):\n  - ")
        .doesNotContain("s3cr3t-value");
  }

  @Test
  void noApiKeyAndNoConnectorAreProblemsBecauseIngestIsNeverOpen() {
    InvalidConfigurationException e = problems(new IomtProperties());
    assertThat(e.problems())
        .containsExactly(
            "iomt.ingest.api-keys: at least one key is required (HTTP ingest is never open);"
                + " e.g. IOMT_INGEST_API_KEYS=<a random string of 24+ characters>",
            "iomt.connectors: no connector configured (each needs device-mapping, fhir-mapping"
                + " and fhir.url)");
  }

  @Test
  void anEventHubsConnectionStringBecomesSaslSslOnPort9093WithoutShowingTheKey() {
    IomtProperties p = valid();
    String cs =
        "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=send;"
            + "SharedAccessKey=abc123secret=";
    p.getKafka().setEventHubsConnectionString(cs);
    ServiceConfiguration config = ServiceConfiguration.from(p, Clock.systemUTC());
    assertThat(config.embeddedBroker()).isFalse();
    assertThat(config.kafkaProperties())
        .containsEntry("bootstrap.servers", "contoso.servicebus.windows.net:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"$ConnectionString\" password=\""
                + cs
                + "\";");

    p.getKafka().setEventHubsConnectionString("SharedAccessKey=abc123secret=");
    InvalidConfigurationException e = problems(p);
    assertThat(e.problems())
        .containsExactly(
            "iomt.kafka.event-hubs-connection-string: no 'Endpoint=sb://<namespace>"
                + ".servicebus.windows.net/' part (the value is not shown: it holds a secret)");
  }

  @Test
  void theServiceRefusesToStartAndNamesEveryProblem(@TempDir Path dir) {
    Throwable failure =
        catchThrowableOfType(
            Throwable.class,
            () ->
                new SpringApplicationBuilder(IomtServiceApplication.class)
                    .run(
                        "--server.port=0",
                        "--iomt.data-dir=" + dir,
                        "--iomt.connectors.icu.fhir.url=not a url"));
    Throwable cause = failure;
    while (cause != null && !(cause instanceof InvalidConfigurationException)) {
      cause = cause.getCause();
    }
    assertThat(cause).isNotNull();
    assertThat(((InvalidConfigurationException) cause).problems()).hasSize(4);
    assertThat(Files.exists(dir.resolve("kafka"))).as("nothing started").isFalse();
  }
}
