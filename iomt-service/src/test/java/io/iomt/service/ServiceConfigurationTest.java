package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
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
  void theConsoleHistoryIntervalIsWholeSecondsFromOneSecondToTenMinutes() {
    IomtProperties p = valid();
    assertThat(p.getConsole().getHistoryInterval()).isEqualTo(Duration.ofSeconds(10));
    for (Duration bad :
        new Duration[] {Duration.ZERO, Duration.ofMillis(1500), Duration.ofMinutes(11)}) {
      p.getConsole().setHistoryInterval(bad);
      assertThat(problems(p).problems())
          .containsExactly(
              "iomt.console.history-interval: must be whole seconds from 1s to 10m, got " + bad);
    }
    p.getConsole().setHistoryInterval(Duration.ofSeconds(1));
    assertThat(ServiceConfiguration.from(p, Clock.systemUTC()).connectors()).hasSize(1);
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
    IomtProperties p = new IomtProperties();
    p.getManagement().setEnabled(false); // with the management API, no connector is fine
    InvalidConfigurationException e = problems(p);
    assertThat(e.problems())
        .containsExactly(
            "iomt.ingest.api-keys: at least one key is required (HTTP ingest is never open);"
                + " e.g. IOMT_INGEST_API_KEYS=<a random string of 24+ characters>",
            "iomt.connectors: no connector configured (each needs device-mapping, fhir-mapping"
                + " and fhir.url)");
  }

  @Test
  void withTheManagementApiAConfigurationFileWithoutConnectorsIsValid() {
    IomtProperties p = valid();
    p.getConnectors().clear();
    assertThat(ServiceConfiguration.from(p, Clock.systemUTC()).connectors()).isEmpty();
  }

  static ServiceConfiguration.MappingContent content(String label, String json) {
    return new ServiceConfiguration.MappingContent(
        label, json == null ? null : json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  static IomtProperties.Connector apiConnector(String fhirUrl) {
    IomtProperties.Connector c = new IomtProperties.Connector();
    c.getFhir().setUrl(fhirUrl);
    return c;
  }

  @Test
  void aConnectorFromContentIsCheckedAndBuiltLikeOneFromTheFile() throws Exception {
    ServiceConfiguration config = ServiceConfiguration.from(valid(), Clock.systemUTC());

    var checked =
        config.connector(
            "ward-b",
            apiConnector("http://localhost:8080/fhir"),
            content("device", Files.readString(SAMPLES.resolve("device-mapping.json"))),
            content("fhir", Files.readString(SAMPLES.resolve("fhir-mapping.json"))),
            List.of());

    assertThat(checked).isInstanceOf(ServiceConfiguration.CheckedConnector.Valid.class);
    var d = ((ServiceConfiguration.CheckedConnector.Valid) checked).definition();
    assertThat(d.name()).isEqualTo("ward-b");
    assertThat(d.settings().topics().source()).isEqualTo("ward-b-events");
    assertThat(d.settings().limits()).isEqualTo(config.ingestLimits());
    assertThat(d.destination().url()).hasToString("http://localhost:8080/fhir");
  }

  @Test
  void aConnectorFromContentListsEveryProblemWithTheLabelsInPlaceOfFilesAndRefusesTakenTopics()
      throws Exception {
    ServiceConfiguration config = ServiceConfiguration.from(valid(), Clock.systemUTC());
    ServiceConfiguration.ConnectorDefinition other =
        ((ServiceConfiguration.CheckedConnector.Valid)
                config.connector(
                    "ward-c",
                    apiConnector("http://localhost:8080/fhir"),
                    content("d", Files.readString(SAMPLES.resolve("device-mapping.json"))),
                    content("f", Files.readString(SAMPLES.resolve("fhir-mapping.json"))),
                    List.of()))
            .definition();
    IomtProperties.Connector c = apiConnector("ftp://x");
    c.setSourceTopic("ward-a-events");
    c.setNormalizedTopic("ward-c-normalized");

    var checked =
        config.connector(
            "ward-b",
            c,
            content(
                "properties.deviceMapping.content",
                "{\"templateType\": \"CollectionContent\",\n \"template\": [ {} ]}"),
            content("properties.fhirMapping.content", null),
            List.of(other));

    assertThat(checked).isInstanceOf(ServiceConfiguration.CheckedConnector.Invalid.class);
    List<String> problems = ((ServiceConfiguration.CheckedConnector.Invalid) checked).problems();
    assertThat(problems)
        .contains(
            "iomt.connectors.ward-b.source-topic: topic 'ward-a-events' is already"
                + " iomt.connectors.ward-a.source-topic",
            "iomt.connectors.ward-b.normalized-topic: topic 'ward-c-normalized' is already"
                + " iomt.connectors.ward-c.normalized-topic",
            "iomt.connectors.ward-b.fhir-mapping: properties.fhirMapping.content: missing (the"
                + " mapping's JSON)",
            "iomt.connectors.ward-b.fhir.url: 'ftp://x' is not an http(s) URL")
        .anySatisfy(
            s ->
                assertThat(s)
                    .startsWith(
                        "iomt.connectors.ward-b.device-mapping: properties.deviceMapping.content:2:"));
    assertThat(
            config.connector(
                "ward-c",
                apiConnector("http://localhost:8080/fhir"),
                content("d", Files.readString(SAMPLES.resolve("device-mapping.json"))),
                content("f", Files.readString(SAMPLES.resolve("fhir-mapping.json"))),
                List.of(other)))
        .as("a connector replacing itself keeps its own topics")
        .isInstanceOf(ServiceConfiguration.CheckedConnector.Valid.class);
  }

  @Test
  void managementKeysAndIssuerAreCheckedWithTheRestWithoutShowingAKey() {
    IomtProperties p = valid();
    IomtProperties.ApiKey key = new IomtProperties.ApiKey();
    key.setName("ci");
    key.setKey("short-secret");
    key.setRole("contributor");
    p.getManagement().getApiKeys().add(key);
    p.getManagement().getOauth2().setIssuerUri("http://login.example.com/tenant");

    assertThat(problems(p).problems())
        .containsExactly(
            "iomt.management.api-keys[0].key: too short (at least 16 characters; use a random"
                + " one)",
            "iomt.management.oauth2.issuer-uri: 'http://login.example.com/tenant' must use https"
                + " (plain http is accepted for localhost and 127.0.0.1 only)")
        .noneMatch(problem -> problem.contains("short-secret"));
  }

  @Test
  void anEventHubsNamespaceBecomesSaslSslOnPort9093WithTheAzureAdLoginLeftToTheRuntime() {
    IomtProperties p = valid();
    p.getKafka().setEventHubsNamespace("contoso.servicebus.windows.net");

    ServiceConfiguration config = ServiceConfiguration.from(p, Clock.systemUTC());

    assertThat(config.embeddedBroker()).isFalse();
    assertThat(config.eventHubsNamespace()).contains("contoso.servicebus.windows.net");
    assertThat(config.kafkaProperties())
        .isEqualTo(
            Map.of(
                "bootstrap.servers", "contoso.servicebus.windows.net:9093",
                "security.protocol", "SASL_SSL"));
  }

  @Test
  void anEventHubsNamespaceKeepsConfiguredBootstrapServersAndSecurityProtocol() {
    IomtProperties p = valid();
    p.getKafka().setEventHubsNamespace("contoso.servicebus.windows.net");
    p.getKafka().setBootstrapServers("127.0.0.1:19093");
    p.getKafka().getProperties().put("security.protocol", "SASL_PLAINTEXT");

    ServiceConfiguration config = ServiceConfiguration.from(p, Clock.systemUTC());

    assertThat(config.kafkaProperties())
        .containsEntry("bootstrap.servers", "127.0.0.1:19093")
        .containsEntry("security.protocol", "SASL_PLAINTEXT");
    assertThat(ServiceConfiguration.from(valid(), Clock.systemUTC()).eventHubsNamespace())
        .isEmpty();
  }

  @Test
  void anEventHubsNamespaceWithAConnectionStringOrNotAHostNameIsAProblem() {
    IomtProperties both = valid();
    both.getKafka().setEventHubsNamespace("contoso.servicebus.windows.net");
    both.getKafka()
        .setEventHubsConnectionString(
            "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKey=abc123secret=");
    IomtProperties url = valid();
    url.getKafka().setEventHubsNamespace("sb://contoso.servicebus.windows.net/");

    assertThat(problems(both).problems())
        .containsExactly(
            "iomt.kafka.event-hubs-namespace and iomt.kafka.event-hubs-connection-string are both"
                + " set: use the namespace (Azure AD) or the connection string (SAS), not both");
    assertThat(problems(url).problems())
        .containsExactly(
            "iomt.kafka.event-hubs-namespace: 'sb://contoso.servicebus.windows.net/' is not a host"
                + " name such as contoso.servicebus.windows.net (no sb://, port or path)");
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

  /** An environment of a file-like source (with relaxed names) and environment variables. */
  static StandardEnvironment environment(Map<String, Object> file, Map<String, Object> variables) {
    StandardEnvironment env = new StandardEnvironment();
    MutablePropertySources sources = env.getPropertySources();
    sources.replace(
        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
        new SystemEnvironmentPropertySource(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
    sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
    sources.addFirst(new MapPropertySource("application.yaml", file));
    return env;
  }

  static Map<String, Object> validFile() {
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("iomt.ingest.api-keys[0]", "0123456789abcdef0123");
    file.put("iomt.connectors.ward-a.device-mapping", SAMPLES.resolve("device-mapping.json"));
    file.put("iomt.connectors.ward-a.fhir-mapping", SAMPLES.resolve("fhir-mapping.json"));
    file.put("iomt.connectors.ward-a.fhir.url", "http://localhost:8080/fhir");
    return file;
  }

  @Test
  void relaxedNamesAndEnvironmentVariablesBindAndAreNoProblem() {
    Map<String, Object> file = validFile();
    file.put("iomt.connectors.ward-a.flush.maxAge", "2s"); // camel case
    file.put("iomt.connectors.ward-a.flush.max_events", "7"); // underscore
    file.put("iomt.kafka.bootstrap-servers", "localhost:9092");
    file.put("iomt.kafka.properties.ssl.endpoint.identification.algorithm", ""); // free-form map
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("IOMT_INGEST_MAX_MESSAGE_SIZE", "2MB"); // dashes as underscores
    variables.put("IOMT_INGEST_MAXREQUESTSIZE", "4MB"); // dashes left out
    variables.put("IOMT_INGEST_API_KEYS", "0123456789abcdef0123,abcdef0123456789abcd");
    variables.put("IOMT_CONNECTORS_ICU_FHIR_URL", "http://localhost:8080/other");
    variables.put("IOMT_CONNECTORS_ICU_DEVICEMAPPING", SAMPLES.resolve("device-mapping.json"));
    variables.put("IOMT_CONNECTORS_ICU_FHIR_MAPPING", SAMPLES.resolve("fhir-mapping.json"));
    variables.put("IOMT_CONNECTORS_ICU_FLUSH_MAX_AGE", "3s");
    variables.put("IOMT_JAVA_OPTS", "-Xmx1g"); // the CLI launcher's, no setting
    variables.put("IOMT_SERVICE_HOST", "10.0.0.1"); // Kubernetes service links for "iomt"
    variables.put("IOMT_PORT_8080_TCP_ADDR", "10.0.0.1");
    file.put("iomt.demo.log-file", "demo.log"); // the demo's system property, in its JVM

    ServiceConfiguration config =
        ServiceConfiguration.from(environment(file, variables), Clock.systemUTC());

    assertThat(config.connectors())
        .extracting(ServiceConfiguration.ConnectorDefinition::name)
        .containsExactly("ward-a", "icu");
    var wardA = config.connectors().get(0).settings();
    assertThat(wardA.flush().maxAge()).isEqualTo(Duration.ofSeconds(2));
    assertThat(wardA.flush().maxEvents()).isEqualTo(7);
    assertThat(config.ingestLimits().maxMessageBytes()).isEqualTo(2 * 1024 * 1024);
    assertThat(config.properties().getIngest().getMaxRequestSize())
        .isEqualTo(DataSize.ofMegabytes(4));
    assertThat(config.connectors().get(1).settings().flush().maxAge())
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(config.connectors().get(1).destination().url())
        .hasToString("http://localhost:8080/other");
    assertThat(config.kafkaProperties()).containsEntry("ssl.endpoint.identification.algorithm", "");
  }

  @Test
  void theWriteConcurrencyAndTheByteBoundReachTheConnectorWithDefaultsOf4And64Megabytes() {
    Map<String, Object> file = validFile();
    file.put("iomt.connectors.icu.device-mapping", SAMPLES.resolve("device-mapping.json"));
    file.put("iomt.connectors.icu.fhir-mapping", SAMPLES.resolve("fhir-mapping.json"));
    file.put("iomt.connectors.icu.fhir.url", "http://localhost:8080/fhir");
    file.put("iomt.connectors.icu.fhir.max-concurrent-writes", "16");
    file.put("iomt.connectors.icu.flush.max-buffered-bytes", "8MB");

    ServiceConfiguration config =
        ServiceConfiguration.from(environment(file, Map.of()), Clock.systemUTC());

    var wardA = config.connectors().get(0).settings();
    assertThat(wardA.maxConcurrentWrites()).isEqualTo(4);
    assertThat(wardA.flush().maxBufferedBytes()).isEqualTo(64L * 1024 * 1024);
    var icu = config.connectors().get(1).settings();
    assertThat(icu.maxConcurrentWrites()).isEqualTo(16);
    assertThat(icu.flush().maxBufferedBytes()).isEqualTo(8L * 1024 * 1024);
  }

  @Test
  void noConcurrentWriteAndNoBufferedByteAreProblemsListedTogether() {
    Map<String, Object> file = validFile();
    file.put("iomt.connectors.ward-a.fhir.max-concurrent-writes", "0");
    file.put("iomt.connectors.ward-a.flush.max-buffered-bytes", "0B");

    InvalidConfigurationException e =
        catchThrowableOfType(
            InvalidConfigurationException.class,
            () -> ServiceConfiguration.from(environment(file, Map.of()), Clock.systemUTC()));

    assertThat(e.problems())
        .containsExactlyInAnyOrder(
            "iomt.connectors.ward-a.flush: maxBufferedBytes must be positive, got 0",
            "iomt.connectors.ward-a.fhir.max-concurrent-writes: must be at least 1 (flushes in"
                + " flight at once), got 0");
  }

  @Test
  void unknownAndMisspelledSettingsAreProblemsListedWithEveryOther() {
    Map<String, Object> file = validFile();
    file.put("iomt.connectors.ward-a.flussh.max-age", "1s");
    file.put("iomt.connectors.ward-a.fhir.url", "ftp://x");
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("IOMT_INGEST_MAX_MESAGE_SIZE", "4MB");
    variables.put("IOMT_CONNECTORS_ICU_FHIR_ULR", "http://localhost/fhir");

    InvalidConfigurationException e =
        catchThrowableOfType(
            InvalidConfigurationException.class,
            () -> ServiceConfiguration.from(environment(file, variables), Clock.systemUTC()));

    assertThat(e.problems())
        .containsExactlyInAnyOrder(
            "iomt.connectors.ward-a.flussh.max-age: not a known setting (\"iomt.connectors.ward-a"
                + ".flussh.max-age\" from property source \"application.yaml\"); ignored, it would"
                + " leave a default in force (check the spelling; docs/configuration.md lists"
                + " every setting)",
            "iomt.connectors.icu.fhir.ulr: not a known setting (environment variable"
                + " IOMT_CONNECTORS_ICU_FHIR_ULR); ignored, it would leave a default in force"
                + " (check the spelling; docs/configuration.md lists every setting)",
            "iomt.ingest.max.mesage.size: not a known setting (environment variable"
                + " IOMT_INGEST_MAX_MESAGE_SIZE); ignored, it would leave a default in force (check"
                + " the spelling; docs/configuration.md lists every setting)",
            "iomt.connectors.ward-a.fhir.url: 'ftp://x' is not an http(s) URL");
  }

  @Test
  void aValueThatCannotBeConvertedDoesNotHideTheOtherProblems() {
    Map<String, Object> file = validFile();
    file.remove("iomt.ingest.api-keys[0]");
    file.put("iomt.connectors.ward-a.flush.max-age", "banana");
    file.put("iomt.connectors.ward-a.partitions", "four");
    file.put("iomt.ingest.max-request-size", "big");
    file.put("iomt.connectors.ward-a.flush.max-events", "0");

    InvalidConfigurationException e =
        catchThrowableOfType(
            InvalidConfigurationException.class,
            () -> ServiceConfiguration.from(environment(file, Map.of()), Clock.systemUTC()));

    assertThat(e.problems())
        .containsExactlyInAnyOrder(
            "iomt.ingest.max-request-size: 'big' is not a size such as 512KB or 1MB"
                + " (\"iomt.ingest.max-request-size\" from property source \"application.yaml\")",
            "iomt.connectors.ward-a.partitions: 'four' is not a whole number"
                + " (\"iomt.connectors.ward-a.partitions\" from property source"
                + " \"application.yaml\")",
            "iomt.connectors.ward-a.flush.max-age: 'banana' is not a duration such as 500ms, 30s"
                + " or 5m (\"iomt.connectors.ward-a.flush.max-age\" from property source"
                + " \"application.yaml\")",
            "iomt.ingest.api-keys: at least one key is required (HTTP ingest is never open);"
                + " e.g. IOMT_INGEST_API_KEYS=<a random string of 24+ characters>",
            "iomt.connectors.ward-a.flush: maxEvents must be positive, got 0");
  }

  @Test
  void aPasswordInTheFhirUrlIsNeverShownAndNeverUsed() {
    IomtProperties p = valid();
    p.getConnectors().get("ward-a").getFhir().setUrl("ftp://admin:s3cr3t@x/fhir");
    IomtProperties.Connector other = new IomtProperties.Connector();
    other.setDeviceMapping(SAMPLES.resolve("device-mapping.json"));
    other.setFhirMapping(SAMPLES.resolve("fhir-mapping.json"));
    other.getFhir().setUrl("https://admin:s3cr3t@x/fhir path");
    p.getConnectors().put("ward-b", other);

    assertThat(problems(p).problems())
        .containsExactly(
            "iomt.connectors.ward-a.fhir.url: 'ftp://x/fhir' is not an http(s) URL",
            "iomt.connectors.ward-b.fhir.url: 'https://x/fhir path' is not a URL (Illegal"
                + " character in path at index 27: https://x/fhir path)");

    other.getFhir().setUrl("https://admin:s3cr3t@fhir.example/r4");
    p.getConnectors().remove("ward-a");
    ServiceConfiguration config = ServiceConfiguration.from(p, Clock.systemUTC());
    assertThat(config.connectors().get(0).destination().url())
        .as("Java's HTTP client never sends user info; nothing downstream may show it")
        .hasToString("https://fhir.example/r4");
  }

  @Test
  void aDeviceTypeWithoutFhirTemplateNamesItsFileAndIsReportedBesideTheFhirMappingsErrors(
      @TempDir Path dir) throws Exception {
    Path device = dir.resolve("device.json");
    Files.writeString(
        device,
        """
        {"templateType": "CollectionContent", "template": [
          {"templateType": "JsonPathContent", "template": {
            "typeName": "temperature", "typeMatchExpression": "$..[?(@temp)]",
            "deviceIdExpression": "$.id", "timestampExpression": "$.t",
            "values": [{"valueName": "temp", "valueExpression": "$.temp"}]}}]}
        """);
    Path fhir = dir.resolve("fhir.json");
    Files.writeString(
        fhir,
        """
        {"templateType": "CollectionFhir", "template": [
          {"templateType": "CodeValueFhir", "template": {"typeName": "heartrate",
            "value": {"valueType": "Quantity", "valueName": "hr"}}}]}
        """);
    IomtProperties p = valid();
    p.getConnectors().get("ward-a").setDeviceMapping(device);
    p.getConnectors().get("ward-a").setFhirMapping(fhir);

    List<String> problems = problems(p).problems();

    assertThat(problems)
        .contains(
            "iomt.connectors.ward-a.device-mapping: "
                + device
                + ":3:17: Device type 'temperature' has no CodeValueFhir template in the FHIR"
                + " mapping; its measurements would fail with TemplateNotFoundException")
        .anySatisfy(
            s -> assertThat(s).startsWith("iomt.connectors.ward-a.fhir-mapping: " + fhir + ":2:"))
        .hasSize(2);

    // With a valid FHIR mapping, the same problem from the full cross-check names the file too.
    p.getConnectors().get("ward-a").setFhirMapping(SAMPLES.resolve("fhir-mapping.json"));
    assertThat(problems(p).problems())
        .containsExactly(
            "iomt.connectors.ward-a.device-mapping: "
                + device
                + ":3:17: Device type 'temperature' has no CodeValueFhir template in the FHIR"
                + " mapping; its measurements would fail with TemplateNotFoundException");
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void configurationProblemsArePrintedOnceAtStartUp(@TempDir Path dir, CapturedOutput output) {
    Throwable failure =
        catchThrowableOfType(
            Throwable.class,
            () ->
                new SpringApplicationBuilder(IomtServiceApplication.class)
                    .run(
                        "--server.port=0",
                        "--iomt.data-dir=" + dir,
                        "--iomt.connectors.icu.fhir.url=https://admin:s3cr3t@host/fhir path",
                        "--iomt.connectors.icu.flussh.max-age=1s",
                        "--iomt.connectors.icu.flush.max-age=banana"));

    assertThat(failure).isInstanceOf(InvalidConfigurationException.class);
    String printed = output.getAll();
    assertThat(printed).contains("APPLICATION FAILED TO START");
    for (String problem :
        List.of(
            "iomt.ingest.api-keys: at least one key is required",
            "iomt.connectors.icu.flussh.max-age: not a known setting",
            "iomt.connectors.icu.flush.max-age: 'banana' is not a duration",
            "iomt.connectors.icu.fhir.url: 'https://host/fhir path' is not a URL")) {
      assertThat(printed.split(java.util.regex.Pattern.quote(problem), -1))
          .as("times '%s' is printed in:%n%s", problem, printed)
          .hasSize(2);
    }
    assertThat(printed).doesNotContain("s3cr3t").doesNotContain("Tomcat initialized");
  }
}
