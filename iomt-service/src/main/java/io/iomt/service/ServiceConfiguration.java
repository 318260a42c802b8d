package io.iomt.service;

import io.iomt.azure.SharedAzureCredential;
import io.iomt.azure.keyvault.KeyVaultSecretResolver;
import io.iomt.azure.keyvault.KeyVaultSecrets;
import io.iomt.core.envelope.MessageLimits;
import io.iomt.core.error.InvalidTemplateException;
import io.iomt.core.error.TemplateProblem;
import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.fhirmapping.MappingCrossCheck;
import io.iomt.core.mapping.DeviceMapping;
import io.iomt.fhir.FhirDestination;
import io.iomt.fhir.auth.AzureCredentialOptions;
import io.iomt.fhir.auth.FhirAuth;
import io.iomt.fhir.auth.FhirAuthOptions;
import io.iomt.fhir.auth.FhirAuthSettings;
import io.iomt.fhir.auth.Secret;
import io.iomt.fhir.auth.SettingPaths;
import io.iomt.fhir.auth.TokenProvider;
import io.iomt.fhir.auth.Validated;
import io.iomt.fhir.http.RetryPolicy;
import io.iomt.fhir.identity.ResolutionType;
import io.iomt.pipeline.Connector;
import io.iomt.pipeline.FlushPolicy;
import io.iomt.pipeline.StageName;
import io.iomt.service.management.security.ManagementSecuritySettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * Turns {@link IomtProperties} into what the service runs: Kafka client properties and one {@link
 * ConnectorDefinition} per connector with its mappings parsed. Every problem is collected first and
 * reported together in an {@link InvalidConfigurationException}; nothing starts half-configured.
 * Secrets are checked for presence only and never appear in a problem.
 */
public final class ServiceConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceConfiguration.class);
  private static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Pattern HOST_NAME =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
  private static final Pattern EVENT_HUBS_ENDPOINT =
      Pattern.compile("(?i)(?:^|;)\\s*Endpoint\\s*=\\s*sb://([^/;]+)/?\\s*(?:;|$)");

  /**
   * A connector ready to start.
   *
   * @param eventHubs the Event Hubs source it reads, or null when it reads its source topic
   * @param deadLetterHub the Event Hub its dead letters are forwarded to, or null for none
   */
  public record ConnectorDefinition(
      Connector.Settings settings,
      FhirDestination destination,
      EventHubsSourceConfig eventHubs,
      DeadLetterHubConfig deadLetterHub) {
    public String name() {
      return settings.name();
    }

    /**
     * The stages the connector runs: normalize, group, and forward-errors when dead letters are
     * forwarded. Health and metrics show these only.
     */
    public List<StageName> stages() {
      return deadLetterHub == null
          ? List.of(StageName.NORMALIZE, StageName.GROUP)
          : List.of(StageName.NORMALIZE, StageName.GROUP, StageName.FORWARD_ERRORS);
    }

    /** Whether the normalize stage reads the connector's source topic (where ingest appends). */
    public boolean readsSourceTopic() {
      return eventHubs == null;
    }

    /** Where the connector reads, for logs: a topic or {@code namespace/hub (consumer group)}. */
    public String sourceDescription() {
      return eventHubs == null ? settings.topics().source() : eventHubs.describe();
    }
  }

  private final IomtProperties properties;
  private final List<ConnectorDefinition> connectors;
  private final Map<String, Object> kafkaProperties;
  private final boolean embeddedBroker;
  private final String eventHubsNamespace;
  private final MessageLimits ingestLimits;
  private final SharedAzureCredential azureCredential;
  private final KeyVaultSecrets keyVaultSecrets;
  private final Clock clock;

  private ServiceConfiguration(
      IomtProperties properties,
      List<ConnectorDefinition> connectors,
      Map<String, Object> kafkaProperties,
      boolean embeddedBroker,
      String eventHubsNamespace,
      MessageLimits ingestLimits,
      SharedAzureCredential azureCredential,
      KeyVaultSecrets keyVaultSecrets,
      Clock clock) {
    this.properties = properties;
    this.connectors = connectors;
    this.kafkaProperties = kafkaProperties;
    this.embeddedBroker = embeddedBroker;
    this.eventHubsNamespace = eventHubsNamespace;
    this.ingestLimits = ingestLimits;
    this.azureCredential = azureCredential;
    this.keyVaultSecrets = keyVaultSecrets;
    this.clock = clock;
  }

  /** The settings this configuration was made from (checked; treat as read-only). */
  public IomtProperties properties() {
    return properties;
  }

  public List<ConnectorDefinition> connectors() {
    return connectors;
  }

  /** Client properties without {@code bootstrap.servers} when the embedded broker is used. */
  public Map<String, Object> kafkaProperties() {
    return kafkaProperties;
  }

  public boolean embeddedBroker() {
    return embeddedBroker;
  }

  /**
   * The Event Hubs namespace the clients log in to with Azure AD (SASL OAUTHBEARER), if {@code
   * iomt.kafka.event-hubs-namespace} is set: {@link #kafkaProperties()} then hold bootstrap servers
   * and {@code security.protocol}, and {@link KafkaRuntime} adds the token login.
   */
  public Optional<String> eventHubsNamespace() {
    return Optional.ofNullable(eventHubsNamespace);
  }

  public MessageLimits ingestLimits() {
    return ingestLimits;
  }

  /** The shared Azure credential ({@code iomt.azure.credential.*}), checked; maybe none. */
  public SharedAzureCredential azureCredential() {
    return azureCredential;
  }

  /** The settings that reference Key Vault secrets, with their current values. */
  public KeyVaultSecrets keyVaultSecrets() {
    return keyVaultSecrets;
  }

  /** A mapping given as content, e.g. by the management API. */
  public record MappingContent(String label, byte[] json) {
    /**
     * @param label how problems name the mapping, e.g. {@code properties.deviceMapping.content}
     * @param json the mapping's JSON (UTF-8); null or empty is a problem
     */
    public MappingContent {
      Objects.requireNonNull(label, "label");
    }
  }

  /** A connector checked as a whole: its definition, or every problem found. */
  public sealed interface CheckedConnector {
    /** Ready to run. */
    record Valid(ConnectorDefinition definition) implements CheckedConnector {}

    /**
     * Every problem, as the configuration file's are worded ({@code iomt.connectors.<name>...});
     * never a secret.
     */
    record Invalid(List<String> problems) implements CheckedConnector {
      public Invalid {
        problems = List.copyOf(problems);
      }
    }
  }

  /**
   * Checks and builds a connector that does not come from the configuration file (the management
   * API): the same checks as the file's connectors, with the service's ingest limits, clock and
   * shared Azure credential, and its mappings given as content instead of files. Its topics must
   * not belong to another connector: the configuration file's, or one of {@code others} (a
   * definition of the same name in {@code others} is the one this replaces and is ignored).
   * Thread-safe; nothing is started or made.
   *
   * @param others the other connectors that run besides this one (e.g. {@link
   *     ConnectorRuntime#definitions()})
   */
  public CheckedConnector connector(
      String name,
      IomtProperties.Connector settings,
      MappingContent deviceMapping,
      MappingContent fhirMapping,
      Collection<ConnectorDefinition> others) {
    List<String> problems = new ArrayList<>();
    Map<String, String> topicOwners = new HashMap<>();
    List<ConnectorDefinition> owners = new ArrayList<>(connectors);
    owners.addAll(others);
    for (ConnectorDefinition other : owners) {
      if (!other.name().equals(name)) {
        String at = "iomt.connectors." + other.name();
        Connector.Topics t = other.settings().topics();
        topicOwners.putIfAbsent(t.source(), at + ".source-topic");
        topicOwners.putIfAbsent(t.normalized(), at + ".normalized-topic");
        topicOwners.putIfAbsent(t.errors(), at + ".error-topic");
      }
    }
    ConnectorDefinition d =
        connector(
            name,
            settings,
            new MappingSource.Content(deviceMapping.label(), deviceMapping.json()),
            new MappingSource.Content(fhirMapping.label(), fhirMapping.json()),
            ingestLimits,
            clock,
            topicOwners,
            azureCredential,
            problems);
    return d == null ? new CheckedConnector.Invalid(problems) : new CheckedConnector.Valid(d);
  }

  /**
   * Binds {@code iomt.*} from the environment ({@link PropertyBinding}: unknown settings and values
   * that cannot be converted are problems too), checks everything and parses the mappings.
   *
   * @throws InvalidConfigurationException listing every problem found
   */
  public static ServiceConfiguration from(Environment environment, Clock clock) {
    return from(environment, clock, null);
  }

  /**
   * Resolves the Key Vault references among the settings first ({@link KeyVaultReferences}: each
   * setting whose value is {@code @Microsoft.KeyVault(...)} gets the secret in its place), then
   * binds and checks everything as {@link #from(Environment, Clock)}. A reference that cannot be
   * read is a problem naming the setting, the vault and the secret.
   *
   * @param keyVault the resolver to read references with; null for one with the shared Azure
   *     credential and the SDK's defaults (tests give one that trusts a fake vault)
   * @throws InvalidConfigurationException listing every problem found
   */
  public static ServiceConfiguration from(
      Environment environment, Clock clock, KeyVaultSecretResolver keyVault) {
    List<String> problems = new ArrayList<>();
    SharedAzureCredential credential = null;
    KeyVaultSecrets secrets = KeyVaultSecrets.none();
    if (environment instanceof ConfigurableEnvironment configurable) {
      IomtProperties.Azure azure = azureSettings(configurable);
      credential = azureCredential(azure.getCredential(), new ArrayList<>());
      KeyVaultReferences.Scan scan = KeyVaultReferences.scan(configurable);
      problems.addAll(scan.problems());
      if (!scan.references().isEmpty()) {
        KeyVaultSecretResolver resolver =
            keyVault != null ? keyVault : resolver(credential, azure.getKeyVault());
        if (resolver == null) {
          problems.add(
              String.join(", ", scan.references().keySet())
                  + ": Key Vault references need the shared Azure credential, and none is"
                  + " configured (set iomt.azure.credential.type, docs/configuration.md)");
        } else {
          KeyVaultSecrets.Resolution resolution =
              KeyVaultSecrets.resolve(resolver, scan.references());
          resolution.failures().forEach(f -> problems.add(f.getMessage()));
          secrets = resolution.secrets();
          KeyVaultReferences.install(configurable, scan.references(), secrets);
        }
      }
    }
    // A value from Key Vault is a secret whatever its setting's name: never shown in a problem.
    PropertyBinding.Bound bound = PropertyBinding.bind(environment, secrets::isReferenced);
    problems.addAll(bound.problems());
    return from(bound.properties(), problems, clock, credential, secrets);
  }

  /** {@code iomt.azure.*} read before anything else; a value that cannot be read is left out. */
  private static IomtProperties.Azure azureSettings(Environment environment) {
    try {
      return Binder.get(environment)
          .bindOrCreate("iomt.azure", Bindable.of(IomtProperties.Azure.class));
    } catch (BindException e) {
      return new IomtProperties.Azure(); // PropertyBinding reports it
    }
  }

  private static KeyVaultSecretResolver resolver(
      SharedAzureCredential credential, IomtProperties.KeyVault settings) {
    if (credential == null || !credential.isConfigured()) {
      return null;
    }
    return KeyVaultSecretResolver.of(credential, settings.getDnsSuffix());
  }

  /**
   * Checks everything and parses the mappings.
   *
   * @throws InvalidConfigurationException listing every problem found
   */
  public static ServiceConfiguration from(IomtProperties p, Clock clock) {
    return from(p, List.of(), clock, null, KeyVaultSecrets.none());
  }

  /**
   * @param credential the shared credential already made from these settings, or null to make it
   * @param secrets the settings whose values came from Key Vault
   */
  private static ServiceConfiguration from(
      IomtProperties p,
      List<String> bindingProblems,
      Clock clock,
      SharedAzureCredential credential,
      KeyVaultSecrets secrets) {
    List<String> problems = new ArrayList<>(bindingProblems);
    SharedAzureCredential checked = azureCredential(p.getAzure().getCredential(), problems);
    SharedAzureCredential shared = credential != null ? credential : checked;
    checkConsole(p.getConsole(), problems);
    Duration refresh = p.getAzure().getKeyVault().getRefreshInterval();
    if (refresh == null || refresh.isNegative()) {
      problems.add("iomt.azure.key-vault.refresh-interval: must be 0 (never) or positive");
    }
    if (blankToNull(p.getAzure().getKeyVault().getDnsSuffix()) == null) {
      problems.add("iomt.azure.key-vault.dns-suffix: missing (e.g. vault.azure.net)");
    }
    Map<String, Object> kafka = kafka(p.getKafka(), problems);
    String namespace = blankToNull(p.getKafka().getEventHubsNamespace());
    MessageLimits limits = ingest(p.getIngest(), problems);
    ManagementSecuritySettings.check(p.getManagement(), problems);
    if (p.getConnectors().isEmpty() && !p.getManagement().isEnabled()) {
      // With the management API, connectors can come from it alone.
      problems.add(
          "iomt.connectors: no connector configured (each needs device-mapping, fhir-mapping and"
              + " fhir.url)");
    }
    List<ConnectorDefinition> connectors = new ArrayList<>();
    Map<String, String> topicOwners = new HashMap<>();
    for (Map.Entry<String, IomtProperties.Connector> e : p.getConnectors().entrySet()) {
      ConnectorDefinition d =
          connector(
              e.getKey(),
              e.getValue(),
              mappingFile(e.getValue().getDeviceMapping()),
              mappingFile(e.getValue().getFhirMapping()),
              limits,
              clock,
              topicOwners,
              shared,
              problems);
      if (d != null) {
        connectors.add(d);
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigurationException(problems);
    }
    return new ServiceConfiguration(
        p,
        List.copyOf(connectors),
        kafka,
        !kafka.containsKey("bootstrap.servers"),
        namespace,
        limits,
        shared,
        secrets,
        clock);
  }

  /** The shared credential, checked like FHIR auth; none (and problems) when invalid. */
  private static SharedAzureCredential azureCredential(
      IomtProperties.Credential c, List<String> problems) {
    Validated<Optional<FhirAuthSettings.Azure>> checked =
        FhirAuth.azureCredential(
            new AzureCredentialOptions(
                c.getType(), c.getTenantId(), c.getClientId(), secret(c.getClientSecret())),
            SettingPaths.under("iomt.azure.credential"));
    checked.problems().forEach(problem -> problems.add(problem.toString()));
    if (checked instanceof Validated.Valid<Optional<FhirAuthSettings.Azure>> valid
        && valid.value().isPresent()) {
      return SharedAzureCredential.of(valid.value().get());
    }
    return SharedAzureCredential.none();
  }

  private static Map<String, Object> kafka(IomtProperties.Kafka k, List<String> problems) {
    Map<String, Object> props = new LinkedHashMap<>(k.getProperties());
    String bootstrap = blankToNull(k.getBootstrapServers());
    String eventHubs = blankToNull(k.getEventHubsConnectionString());
    if (eventHubs != null) {
      Matcher m = EVENT_HUBS_ENDPOINT.matcher(eventHubs);
      if (!m.find()) {
        problems.add(
            "iomt.kafka.event-hubs-connection-string: no 'Endpoint=sb://<namespace>"
                + ".servicebus.windows.net/' part (the value is not shown: it holds a secret)");
      } else {
        String host = m.group(1);
        if (bootstrap == null) {
          bootstrap = host.contains(":") ? host : host + ":9093";
        }
        props.putIfAbsent("security.protocol", "SASL_SSL");
        props.put("sasl.mechanism", "PLAIN");
        props.put(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"$ConnectionString\" password=\""
                + eventHubs.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\";");
      }
    }
    String namespace = blankToNull(k.getEventHubsNamespace());
    if (namespace != null) {
      if (eventHubs != null) {
        problems.add(
            "iomt.kafka.event-hubs-namespace and iomt.kafka.event-hubs-connection-string are both"
                + " set: use the namespace (Azure AD) or the connection string (SAS), not both");
      } else if (!HOST_NAME.matcher(namespace).matches()) {
        problems.add(
            "iomt.kafka.event-hubs-namespace: '"
                + namespace
                + "' is not a host name such as contoso.servicebus.windows.net (no sb://, port or"
                + " path)");
      } else {
        if (bootstrap == null) {
          bootstrap = namespace + ":9093";
        }
        props.putIfAbsent("security.protocol", "SASL_SSL");
      }
    }
    if (bootstrap != null) {
      for (String server : bootstrap.split(",")) {
        if (!server.trim().matches("[^:\\s]+:\\d{1,5}")) {
          problems.add("iomt.kafka.bootstrap-servers: '" + server.trim() + "' is not host:port");
        }
      }
      props.put("bootstrap.servers", bootstrap);
    } else if (!props.isEmpty() && eventHubs == null && namespace == null) {
      problems.add(
          "iomt.kafka.properties are set but no iomt.kafka.bootstrap-servers: the embedded broker"
              + " takes no client properties");
    }
    if (k.getEmbeddedPort() < 0 || k.getEmbeddedPort() > 65535) {
      problems.add("iomt.kafka.embedded-port: " + k.getEmbeddedPort() + " is not a port");
    }
    return props;
  }

  private static MessageLimits ingest(IomtProperties.Ingest in, List<String> problems) {
    if (in.getApiKeys().isEmpty()) {
      problems.add(
          "iomt.ingest.api-keys: at least one key is required (HTTP ingest is never open);"
              + " e.g. IOMT_INGEST_API_KEYS=<a random string of 24+ characters>");
    }
    for (int i = 0; i < in.getApiKeys().size(); i++) {
      String key = in.getApiKeys().get(i);
      if (key == null || key.length() < 16) {
        problems.add(
            "iomt.ingest.api-keys["
                + i
                + "]: too short ("
                + (key == null ? 0 : key.length())
                + " characters; at least 16)");
      }
    }
    long message = in.getMaxMessageSize().toBytes();
    long request = in.getMaxRequestSize().toBytes();
    if (message <= 0 || message > Integer.MAX_VALUE) {
      problems.add("iomt.ingest.max-message-size: must be between 1B and 2GB");
    }
    if (request < message) {
      problems.add(
          "iomt.ingest.max-request-size: smaller than max-message-size ("
              + in.getMaxRequestSize()
              + " < "
              + in.getMaxMessageSize()
              + ")");
    }
    if (in.getMaxNestingDepth() <= 0) {
      problems.add("iomt.ingest.max-nesting-depth: must be positive");
    }
    if (in.getAckTimeout().isNegative() || in.getAckTimeout().isZero()) {
      problems.add("iomt.ingest.ack-timeout: must be positive");
    }
    if (in.getMaxMessagesPerRequest() <= 0 || in.getMaxRequestsPerClient() <= 0) {
      problems.add(
          "iomt.ingest.max-messages-per-request, max-requests-per-client: must be positive");
    }
    if (in.getReadTimeout().isNegative() || in.getReadTimeout().isZero()) {
      problems.add("iomt.ingest.read-timeout: must be positive");
    }
    if (message <= 0 || message > Integer.MAX_VALUE || in.getMaxNestingDepth() <= 0) {
      return MessageLimits.DEFAULTS;
    }
    return new MessageLimits((int) message, in.getMaxNestingDepth());
  }

  private static ConnectorDefinition connector(
      String name,
      IomtProperties.Connector c,
      MappingSource deviceSource,
      MappingSource fhirSource,
      MessageLimits limits,
      Clock clock,
      Map<String, String> topicOwners,
      SharedAzureCredential shared,
      List<String> problems) {
    String at = "iomt.connectors." + name;
    int before = problems.size();
    if (!NAME.matcher(name).matches()) {
      problems.add(at + ": the name must be lower-case letters, digits and '-' (≤ 63)");
    }
    Connector.Topics topics =
        new Connector.Topics(
            orDefault(c.getSourceTopic(), name + "-events"),
            orDefault(c.getNormalizedTopic(), name + "-normalized"),
            orDefault(c.getErrorTopic(), name + "-errors"));
    for (String[] t :
        new String[][] {
          {"source-topic", topics.source()},
          {"normalized-topic", topics.normalized()},
          {"error-topic", topics.errors()}
        }) {
      if (!TOPIC.matcher(t[1]).matches()) {
        problems.add(at + "." + t[0] + ": '" + t[1] + "' is not a valid Kafka topic name");
      }
      String owner = topicOwners.putIfAbsent(t[1], at + "." + t[0]);
      if (owner != null) {
        problems.add(at + "." + t[0] + ": topic '" + t[1] + "' is already " + owner);
      }
    }
    if (c.getPartitions() < 1) {
      problems.add(at + ".partitions: must be at least 1, got " + c.getPartitions());
    }
    String devicePath = deviceSource.label();
    String fhirPath = fhirSource.label();
    byte[] deviceJson = read(at + ".device-mapping", deviceSource, problems);
    byte[] fhirJson = read(at + ".fhir-mapping", fhirSource, problems);
    DeviceMapping device =
        parse(at + ".device-mapping", devicePath, deviceJson, DeviceMapping::parse, problems);
    FhirMapping fhir =
        parse(at + ".fhir-mapping", fhirPath, fhirJson, FhirMapping::parse, problems);
    if (device != null && fhirJson != null) {
      // With a FHIR mapping that has errors of its own, the types it declares are still known:
      // a device type without any template is reported in the same start-up.
      List<MappingCrossCheck.Finding> findings =
          fhir != null
              ? MappingCrossCheck.check(device, fhir)
              : FhirMapping.declaredTypeNames(fhirJson)
                  .map(types -> MappingCrossCheck.untemplatedTypes(device, types))
                  .orElse(List.of());
      for (MappingCrossCheck.Finding f : findings) {
        if (f.problem().isError()) {
          problems.add(
              at
                  + (f.inDeviceMapping()
                      ? ".device-mapping: " + devicePath
                      : ".fhir-mapping: " + fhirPath)
                  + ":"
                  + f.problem());
        }
      }
    }
    FlushPolicy flush = null;
    try {
      DataSize bytes = c.getFlush().getMaxBufferedBytes();
      if (bytes == null) {
        throw new IllegalArgumentException("max-buffered-bytes must be set");
      }
      flush =
          new FlushPolicy(c.getFlush().getMaxEvents(), c.getFlush().getMaxAge(), bytes.toBytes());
    } catch (IllegalArgumentException e) {
      problems.add(at + ".flush: " + e.getMessage());
    }
    int maxConcurrentWrites = c.getFhir().getMaxConcurrentWrites();
    if (maxConcurrentWrites < 1) {
      problems.add(
          at
              + ".fhir.max-concurrent-writes: must be at least 1 (flushes in flight at once), got "
              + maxConcurrentWrites);
    }
    FhirDestination destination = destination(at + ".fhir", c.getFhir(), clock, shared, problems);
    EventHubsSourceConfig eventHubs = null;
    String sourceType = c.getSource().getType() == null ? "" : c.getSource().getType().trim();
    if (sourceType.equals("event-hubs")) {
      eventHubs = EventHubsSourceConfig.check(at + ".source", c.getSource(), problems);
      if (eventHubs != null && eventHubs.needsCredential() && !shared.isConfigured()) {
        problems.add(
            at
                + ".source: without SAS connection strings for the hub and the checkpoint"
                + " container, the shared Azure credential reads them: set"
                + " iomt.azure.credential.type (e.g. managed-identity)");
      }
    } else if (!sourceType.equals("kafka")) {
      problems.add(
          at
              + ".source.type: '"
              + sourceType
              + "' is not a source type: kafka (the source topic, the default) or event-hubs");
    }
    DeadLetterHubConfig deadLetterHub =
        DeadLetterHubConfig.check(
            at + ".dead-letters.event-hub", c.getDeadLetters().getEventHub(), problems);
    if (problems.size() > before) {
      return null;
    }
    Connector.Settings settings =
        new Connector.Settings(
            name,
            topics,
            c.getPartitions(),
            device,
            fhir,
            limits,
            flush,
            Duration.ofMillis(200),
            INITIAL_BACKOFF.compareTo(c.getFhir().getMaxBackoff()) < 0
                ? INITIAL_BACKOFF
                : c.getFhir().getMaxBackoff(),
            c.getFhir().getMaxBackoff(),
            maxConcurrentWrites);
    return new ConnectorDefinition(settings, destination, eventHubs, deadLetterHub);
  }

  private static void checkConsole(IomtProperties.Console c, List<String> problems) {
    Duration interval = c.getHistoryInterval();
    if (interval == null
        || interval.compareTo(Duration.ofSeconds(1)) < 0
        || interval.compareTo(Duration.ofMinutes(10)) > 0
        || interval.toMillis() % 1000 != 0) {
      problems.add(
          "iomt.console.history-interval: must be whole seconds from 1s to 10m, got " + interval);
    }
  }

  private interface Parser<T> {
    T parse(byte[] json);
  }

  /**
   * Where a connector's mapping comes from: a file named in the configuration, or content given
   * with a label that problems show in the file's place (e.g. {@code
   * properties.deviceMapping.content}).
   */
  private sealed interface MappingSource {
    String label();

    record File(Path path) implements MappingSource {
      @Override
      public String label() {
        return String.valueOf(path);
      }
    }

    record Content(String label, byte[] json) implements MappingSource {}
  }

  private static MappingSource mappingFile(Path path) {
    return new MappingSource.File(path);
  }

  /** The mapping's bytes, or null after recording why there are none. */
  private static byte[] read(String at, MappingSource source, List<String> problems) {
    if (source instanceof MappingSource.Content content) {
      if (content.json() == null || content.json().length == 0) {
        problems.add(at + ": " + content.label() + ": missing (the mapping's JSON)");
        return null;
      }
      return content.json();
    }
    Path path = ((MappingSource.File) source).path();
    if (path == null) {
      problems.add(at + ": missing (path of the mapping file)");
      return null;
    }
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      problems.add(at + ": cannot read " + path.toAbsolutePath() + " (" + e + ")");
      return null;
    }
  }

  private static <T> T parse(
      String at, String path, byte[] json, Parser<T> parser, List<String> problems) {
    if (json == null) {
      return null;
    }
    try {
      return parser.parse(json);
    } catch (InvalidTemplateException e) {
      for (TemplateProblem problem : e.problems()) {
        if (problem.isError()) {
          problems.add(at + ": " + path + ":" + problem);
        }
      }
      return null;
    }
  }

  private static FhirDestination destination(
      String at,
      IomtProperties.Fhir f,
      Clock clock,
      SharedAzureCredential shared,
      List<String> problems) {
    URI url = null;
    if (blankToNull(f.getUrl()) == null) {
      problems.add(
          at
              + ".url: missing (the FHIR server's base URL, e.g. https://x.fhir.azurehealthcareapis.com)");
    } else {
      // Shown without user info: https://user:password@host/fhir is printed as https://host/fhir.
      String shown = Redaction.url(f.getUrl());
      try {
        url = URI.create(f.getUrl().trim());
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
          problems.add(at + ".url: '" + shown + "' is not an http(s) URL");
        }
        if (url.getRawUserInfo() != null) {
          // Java's HTTP client never sends user info, so dropping it loses nothing, and nothing
          // downstream (health, logs, errors, Azure scopes) can show it.
          LOG.warn(
              "{}.url: the user info in the URL is not sent to the FHIR server and is dropped;"
                  + " configure {}.auth to authenticate",
              at,
              at);
          url = Redaction.withoutUserInfo(url);
        }
      } catch (IllegalArgumentException e) {
        problems.add(
            at
                + ".url: '"
                + shown
                + "' is not a URL ("
                + Redaction.url(String.valueOf(e.getMessage()))
                + ")");
      }
    }
    ResolutionType resolution = null;
    try {
      resolution = ResolutionType.parse(String.valueOf(f.getIdentityResolution()));
    } catch (IllegalArgumentException e) {
      problems.add(at + ".identity-resolution: " + e.getMessage());
    }
    if (f.getRequestTimeout().isNegative() || f.getRequestTimeout().isZero()) {
      problems.add(at + ".request-timeout: must be positive");
    }
    if (f.getMaxBackoff().isNegative() || f.getMaxBackoff().isZero()) {
      problems.add(at + ".max-backoff: must be positive");
    }
    TokenProvider tokens = tokens(at + ".auth", f.getAuth(), url, clock, shared, problems);
    if (url == null || resolution == null || tokens == null) {
      return null;
    }
    return new FhirDestination(url, tokens, resolution, RetryPolicy.DEFAULT, f.getRequestTimeout());
  }

  /**
   * FHIR auth through the factory the CLI shares ({@link FhirAuth}); property names and problems as
   * documented in docs/configuration.md. Without a valid URL only the settings are checked.
   */
  private static TokenProvider tokens(
      String at,
      IomtProperties.Auth a,
      URI url,
      Clock clock,
      SharedAzureCredential shared,
      List<String> problems) {
    FhirAuthOptions options =
        new FhirAuthOptions(
            a.getType(),
            secret(a.getToken()),
            a.getTokenUrl(),
            a.getClientId(),
            secret(a.getClientSecret()),
            a.getScope(),
            a.getTenantId());
    SettingPaths paths = SettingPaths.under(at);
    if (url == null) {
      FhirAuth.settings(options, paths).problems().forEach(p -> problems.add(p.toString()));
      return null;
    }
    FhirAuth auth = FhirAuth.onClasspath();
    if (shared.isConfigured()) {
      // Type 'azure': tokens from the shared credential, built when the first token is needed.
      auth = auth.withSharedAzureCredential(shared.fhirTokens());
    }
    Validated<TokenProvider> tokens = auth.tokenProvider(options, url, clock, paths);
    tokens.problems().forEach(p -> problems.add(p.toString()));
    return tokens instanceof Validated.Valid<TokenProvider> valid ? valid.value() : null;
  }

  private static Secret secret(String value) {
    return value == null ? null : Secret.of(value);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static String orDefault(String s, String fallback) {
    return blankToNull(s) == null ? fallback : s.trim();
  }
}
