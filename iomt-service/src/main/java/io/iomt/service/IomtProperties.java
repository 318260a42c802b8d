package io.iomt.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.util.unit.DataSize;

/**
 * Everything under {@code iomt.} in {@code application.yaml} or the environment (e.g. {@code
 * IOMT_CONNECTORS_DEMO_FHIR_URL}). docs/configuration.md is the reference. Bound by {@link
 * PropertyBinding} (not by {@code @ConfigurationProperties}, which stops at the first unknown or
 * unreadable setting) and checked by {@link ServiceConfiguration}, which lists every problem at
 * once. Mutable while bound; read-only afterwards by convention; not thread-safe.
 */
public class IomtProperties {
  /** Where the embedded broker keeps its data ({@code <data-dir>/kafka}). */
  private Path dataDir = Path.of("data");

  private final Kafka kafka = new Kafka();
  private final Ingest ingest = new Ingest();
  private final Azure azure = new Azure();
  private final Management management = new Management();
  private final Console console = new Console();
  private final Map<String, Connector> connectors = new LinkedHashMap<>();

  public Path getDataDir() {
    return dataDir;
  }

  public void setDataDir(Path dataDir) {
    this.dataDir = dataDir;
  }

  public Kafka getKafka() {
    return kafka;
  }

  public Ingest getIngest() {
    return ingest;
  }

  public Azure getAzure() {
    return azure;
  }

  public Management getManagement() {
    return management;
  }

  public Console getConsole() {
    return console;
  }

  /** The web console's data API ({@code /api/console/**}). */
  public static class Console {
    /**
     * How often each connector's counters and lag are sampled for the history charts (the last hour
     * is kept): whole seconds, from 1 s to 10 min.
     */
    private Duration historyInterval = Duration.ofSeconds(10);

    public Duration getHistoryInterval() {
      return historyInterval;
    }

    public void setHistoryInterval(Duration historyInterval) {
      this.historyInterval = historyInterval;
    }
  }

  /** What every part of the service that talks to Azure shares. */
  public static class Azure {
    private final Credential credential = new Credential();
    private final KeyVault keyVault = new KeyVault();

    public Credential getCredential() {
      return credential;
    }

    public KeyVault getKeyVault() {
      return keyVault;
    }
  }

  /**
   * The one Azure credential of the service (FHIR auth type {@code azure}, Key Vault references,
   * Event Hubs, Blob): {@code managed-identity}, {@code workload-identity}, {@code client-secret},
   * {@code azure-cli} or {@code default}; none when {@code type} is empty.
   */
  public static class Credential {
    private String type;
    private String tenantId;
    private String clientId;
    private String clientSecret;

    public String getType() {
      return type;
    }

    public void setType(String type) {
      this.type = type;
    }

    public String getTenantId() {
      return tenantId;
    }

    public void setTenantId(String tenantId) {
      this.tenantId = tenantId;
    }

    public String getClientId() {
      return clientId;
    }

    public void setClientId(String clientId) {
      this.clientId = clientId;
    }

    public String getClientSecret() {
      return clientSecret;
    }

    public void setClientSecret(String clientSecret) {
      this.clientSecret = clientSecret;
    }
  }

  /** Key Vault references ({@code @Microsoft.KeyVault(...)} values). */
  public static class KeyVault {
    /** How often referenced secrets are re-read; 0 never. */
    private Duration refreshInterval = Duration.ofMinutes(30);

    /** The DNS suffix of {@code VaultName} references (sovereign clouds differ). */
    private String dnsSuffix = "vault.azure.net";

    public Duration getRefreshInterval() {
      return refreshInterval;
    }

    public void setRefreshInterval(Duration refreshInterval) {
      this.refreshInterval = refreshInterval;
    }

    public String getDnsSuffix() {
      return dnsSuffix;
    }

    public void setDnsSuffix(String dnsSuffix) {
      this.dnsSuffix = dnsSuffix;
    }
  }

  public Map<String, Connector> getConnectors() {
    return connectors;
  }

  /** The broker: none configured means the embedded one. */
  public static class Kafka {
    /** A Kafka cluster; empty for the embedded single-node broker. */
    private String bootstrapServers;

    /**
     * An Azure Event Hubs namespace connection string ({@code Endpoint=sb://<ns>.servicebus...}):
     * sets bootstrap servers and SASL_SSL/PLAIN with user {@code $ConnectionString}.
     */
    private String eventHubsConnectionString;

    /**
     * An Azure Event Hubs namespace ({@code contoso.servicebus.windows.net}) reached with Azure AD:
     * sets bootstrap servers and SASL_SSL/OAUTHBEARER with tokens for {@code
     * https://<namespace>/.default}. Not with {@link #eventHubsConnectionString}.
     */
    private String eventHubsNamespace;

    /** Extra client properties, e.g. {@code security.protocol}, {@code ssl.truststore.location}. */
    private final Map<String, String> properties = new LinkedHashMap<>();

    /** Port of the embedded broker (0: any free port). */
    private int embeddedPort;

    public String getBootstrapServers() {
      return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
    }

    public String getEventHubsConnectionString() {
      return eventHubsConnectionString;
    }

    public void setEventHubsConnectionString(String eventHubsConnectionString) {
      this.eventHubsConnectionString = eventHubsConnectionString;
    }

    public String getEventHubsNamespace() {
      return eventHubsNamespace;
    }

    public void setEventHubsNamespace(String eventHubsNamespace) {
      this.eventHubsNamespace = eventHubsNamespace;
    }

    public Map<String, String> getProperties() {
      return properties;
    }

    public int getEmbeddedPort() {
      return embeddedPort;
    }

    public void setEmbeddedPort(int embeddedPort) {
      this.embeddedPort = embeddedPort;
    }
  }

  /** HTTP ingest ({@code POST /ingest/{connector}}). */
  public static class Ingest {
    /** Keys accepted in {@code X-API-Key} or {@code Authorization: Bearer}; at least one. */
    private List<String> apiKeys = new ArrayList<>();

    /** Largest single message (as Event Hubs: 1 MiB). */
    private DataSize maxMessageSize = DataSize.ofMegabytes(1);

    /** Largest request body (an array of messages). */
    private DataSize maxRequestSize = DataSize.ofMegabytes(16);

    /** Deepest JSON nesting accepted. */
    private int maxNestingDepth = 1000;

    /** How long a request waits for the broker's acknowledgement before answering 503. */
    private Duration ackTimeout = Duration.ofSeconds(30);

    /** Most messages in one request (an array); more is refused with 413 TooManyMessages. */
    private int maxMessagesPerRequest = 1000;

    /** Longest time to receive a request body; a slower client gets 408 RequestTimeout. */
    private Duration readTimeout = Duration.ofSeconds(30);

    /** Most ingest requests of one client address in progress at once; more get 429. */
    private int maxRequestsPerClient = 20;

    public List<String> getApiKeys() {
      return apiKeys;
    }

    public void setApiKeys(List<String> apiKeys) {
      this.apiKeys = apiKeys;
    }

    public DataSize getMaxMessageSize() {
      return maxMessageSize;
    }

    public void setMaxMessageSize(DataSize maxMessageSize) {
      this.maxMessageSize = maxMessageSize;
    }

    public DataSize getMaxRequestSize() {
      return maxRequestSize;
    }

    public void setMaxRequestSize(DataSize maxRequestSize) {
      this.maxRequestSize = maxRequestSize;
    }

    public int getMaxNestingDepth() {
      return maxNestingDepth;
    }

    public void setMaxNestingDepth(int maxNestingDepth) {
      this.maxNestingDepth = maxNestingDepth;
    }

    public Duration getAckTimeout() {
      return ackTimeout;
    }

    public void setAckTimeout(Duration ackTimeout) {
      this.ackTimeout = ackTimeout;
    }

    public int getMaxMessagesPerRequest() {
      return maxMessagesPerRequest;
    }

    public void setMaxMessagesPerRequest(int maxMessagesPerRequest) {
      this.maxMessagesPerRequest = maxMessagesPerRequest;
    }

    public Duration getReadTimeout() {
      return readTimeout;
    }

    public void setReadTimeout(Duration readTimeout) {
      this.readTimeout = readTimeout;
    }

    public int getMaxRequestsPerClient() {
      return maxRequestsPerClient;
    }

    public void setMaxRequestsPerClient(int maxRequestsPerClient) {
      this.maxRequestsPerClient = maxRequestsPerClient;
    }
  }

  /** One connector: source topic, two mappings, one FHIR destination. */
  public static class Connector {
    /** Default {@code <name>-events}. */
    private String sourceTopic;

    /** Default {@code <name>-normalized}. */
    private String normalizedTopic;

    /** Default {@code <name>-errors}. */
    private String errorTopic;

    /** Partitions of the topics the connector creates when they are missing. */
    private int partitions = 4;

    private Path deviceMapping;
    private Path fhirMapping;
    private final Fhir fhir = new Fhir();
    private final Flush flush = new Flush();
    private final Source source = new Source();
    private final DeadLetters deadLetters = new DeadLetters();

    public String getSourceTopic() {
      return sourceTopic;
    }

    public void setSourceTopic(String sourceTopic) {
      this.sourceTopic = sourceTopic;
    }

    public String getNormalizedTopic() {
      return normalizedTopic;
    }

    public void setNormalizedTopic(String normalizedTopic) {
      this.normalizedTopic = normalizedTopic;
    }

    public String getErrorTopic() {
      return errorTopic;
    }

    public void setErrorTopic(String errorTopic) {
      this.errorTopic = errorTopic;
    }

    public int getPartitions() {
      return partitions;
    }

    public void setPartitions(int partitions) {
      this.partitions = partitions;
    }

    public Path getDeviceMapping() {
      return deviceMapping;
    }

    public void setDeviceMapping(Path deviceMapping) {
      this.deviceMapping = deviceMapping;
    }

    public Path getFhirMapping() {
      return fhirMapping;
    }

    public void setFhirMapping(Path fhirMapping) {
      this.fhirMapping = fhirMapping;
    }

    public Fhir getFhir() {
      return fhir;
    }

    public Flush getFlush() {
      return flush;
    }

    public Source getSource() {
      return source;
    }

    public DeadLetters getDeadLetters() {
      return deadLetters;
    }
  }

  /**
   * Where dead letters go besides the connector's error topic (which always keeps them): a
   * customer's Azure Event Hub, when {@code event-hub} is configured.
   */
  public static class DeadLetters {
    private final DeadLetterHub eventHub = new DeadLetterHub();

    public DeadLetterHub getEventHub() {
      return eventHub;
    }
  }

  /**
   * The Event Hub that receives copies of the dead letters: a SAS {@code connection-string} (with
   * the Send right), or {@code fully-qualified-event-hub-namespace} and {@code event-hub-name} with
   * the shared Azure credential. Nothing set: no forwarding.
   */
  public static class DeadLetterHub {
    private String connectionString;
    private String fullyQualifiedEventHubNamespace;
    private String eventHubName;

    public String getConnectionString() {
      return connectionString;
    }

    public void setConnectionString(String connectionString) {
      this.connectionString = connectionString;
    }

    public String getFullyQualifiedEventHubNamespace() {
      return fullyQualifiedEventHubNamespace;
    }

    public void setFullyQualifiedEventHubNamespace(String fullyQualifiedEventHubNamespace) {
      this.fullyQualifiedEventHubNamespace = fullyQualifiedEventHubNamespace;
    }

    public String getEventHubName() {
      return eventHubName;
    }

    public void setEventHubName(String eventHubName) {
      this.eventHubName = eventHubName;
    }

    @Override
    public String toString() {
      return "DeadLetterHub["
          + fullyQualifiedEventHubNamespace
          + "/"
          + eventHubName
          + ", secrets masked]";
    }
  }

  /**
   * Where the normalize stage reads: the connector's source topic on the service's broker ({@code
   * kafka}, the default; HTTP ingest appends there too), or an Azure Event Hub or IoT Hub built-in
   * endpoint over AMQP ({@code event-hubs}), with MedTech's names for the ingestion endpoint.
   */
  public static class Source {
    private String type = "kafka";
    private String fullyQualifiedEventHubNamespace;
    private String eventHubName;
    private String consumerGroup = "$Default";

    /** SAS connection string; without it the shared Azure credential is used. */
    private String connectionString;

    /** {@code earliest}, {@code latest} or an ISO-8601 instant (enqueued time). */
    private String startPosition = "earliest";

    private Duration ownershipExpiration = Duration.ofSeconds(30);
    private Duration loadBalancingInterval = Duration.ofSeconds(10);
    private int maxBatchSize = 500;
    private int prefetch = 500;
    private Duration unavailableAfter = Duration.ofMinutes(2);
    private final Checkpoints checkpoints = new Checkpoints();

    public String getType() {
      return type;
    }

    public void setType(String type) {
      this.type = type;
    }

    public String getFullyQualifiedEventHubNamespace() {
      return fullyQualifiedEventHubNamespace;
    }

    public void setFullyQualifiedEventHubNamespace(String fullyQualifiedEventHubNamespace) {
      this.fullyQualifiedEventHubNamespace = fullyQualifiedEventHubNamespace;
    }

    public String getEventHubName() {
      return eventHubName;
    }

    public void setEventHubName(String eventHubName) {
      this.eventHubName = eventHubName;
    }

    public String getConsumerGroup() {
      return consumerGroup;
    }

    public void setConsumerGroup(String consumerGroup) {
      this.consumerGroup = consumerGroup;
    }

    public String getConnectionString() {
      return connectionString;
    }

    public void setConnectionString(String connectionString) {
      this.connectionString = connectionString;
    }

    public String getStartPosition() {
      return startPosition;
    }

    public void setStartPosition(String startPosition) {
      this.startPosition = startPosition;
    }

    public Duration getOwnershipExpiration() {
      return ownershipExpiration;
    }

    public void setOwnershipExpiration(Duration ownershipExpiration) {
      this.ownershipExpiration = ownershipExpiration;
    }

    public Duration getLoadBalancingInterval() {
      return loadBalancingInterval;
    }

    public void setLoadBalancingInterval(Duration loadBalancingInterval) {
      this.loadBalancingInterval = loadBalancingInterval;
    }

    public int getMaxBatchSize() {
      return maxBatchSize;
    }

    public void setMaxBatchSize(int maxBatchSize) {
      this.maxBatchSize = maxBatchSize;
    }

    public int getPrefetch() {
      return prefetch;
    }

    public void setPrefetch(int prefetch) {
      this.prefetch = prefetch;
    }

    public Duration getUnavailableAfter() {
      return unavailableAfter;
    }

    public void setUnavailableAfter(Duration unavailableAfter) {
      this.unavailableAfter = unavailableAfter;
    }

    public Checkpoints getCheckpoints() {
      return checkpoints;
    }
  }

  /**
   * The Blob container of an Event Hubs source's checkpoints and partition ownership: {@code
   * container-url} with the shared Azure credential, or a storage {@code connection-string} and a
   * {@code container} name.
   */
  public static class Checkpoints {
    private String containerUrl;
    private String connectionString;
    private String container;

    public String getContainerUrl() {
      return containerUrl;
    }

    public void setContainerUrl(String containerUrl) {
      this.containerUrl = containerUrl;
    }

    public String getConnectionString() {
      return connectionString;
    }

    public void setConnectionString(String connectionString) {
      this.connectionString = connectionString;
    }

    public String getContainer() {
      return container;
    }

    public void setContainer(String container) {
      this.container = container;
    }
  }

  /** The FHIR server a connector writes to. */
  public static class Fhir {
    private String url;

    /** {@code Create}, {@code Lookup} or {@code LookupWithEncounter}. */
    private String identityResolution = "Create";

    private Duration requestTimeout = Duration.ofSeconds(30);

    /** Longest wait between write attempts while the server fails (first 1 s, doubling). */
    private Duration maxBackoff = Duration.ofSeconds(30);

    /**
     * Flushes (hence FHIR requests) the connector has in flight at once on this replica: partitions
     * are written concurrently, each partition one flush at a time.
     */
    private int maxConcurrentWrites = 4;

    private final Auth auth = new Auth();

    public Duration getMaxBackoff() {
      return maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
    }

    public int getMaxConcurrentWrites() {
      return maxConcurrentWrites;
    }

    public void setMaxConcurrentWrites(int maxConcurrentWrites) {
      this.maxConcurrentWrites = maxConcurrentWrites;
    }

    public String getUrl() {
      return url;
    }

    public void setUrl(String url) {
      this.url = url;
    }

    public String getIdentityResolution() {
      return identityResolution;
    }

    public void setIdentityResolution(String identityResolution) {
      this.identityResolution = identityResolution;
    }

    public Duration getRequestTimeout() {
      return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
    }

    public Auth getAuth() {
      return auth;
    }
  }

  /**
   * How the connector authenticates to FHIR: {@code none}, {@code bearer} (a fixed token), {@code
   * oauth2} (client credentials), or Azure identity: {@code azure} (the shared credential, {@code
   * iomt.azure.credential}), {@code azure-managed-identity}, {@code azure-client-secret}, {@code
   * azure-workload-identity}, {@code azure-default}, {@code azure-cli}.
   */
  public static class Auth {
    private String type = "none";
    private String token;
    private String tokenUrl;
    private String clientId;
    private String clientSecret;
    private String scope;
    private String tenantId;

    public String getType() {
      return type;
    }

    public void setType(String type) {
      this.type = type;
    }

    public String getToken() {
      return token;
    }

    public void setToken(String token) {
      this.token = token;
    }

    public String getTokenUrl() {
      return tokenUrl;
    }

    public void setTokenUrl(String tokenUrl) {
      this.tokenUrl = tokenUrl;
    }

    public String getClientId() {
      return clientId;
    }

    public void setClientId(String clientId) {
      this.clientId = clientId;
    }

    public String getClientSecret() {
      return clientSecret;
    }

    public void setClientSecret(String clientSecret) {
      this.clientSecret = clientSecret;
    }

    public String getScope() {
      return scope;
    }

    public void setScope(String scope) {
      this.scope = scope;
    }

    public String getTenantId() {
      return tenantId;
    }

    public void setTenantId(String tenantId) {
      this.tenantId = tenantId;
    }

    @Override
    public String toString() {
      return "Auth[type=" + type + ", secrets masked]";
    }
  }

  /**
   * When a partition's buffered measurements are written: count, age or bytes, whichever first; and
   * the bytes the connector buffers at most on this replica before it stops consuming.
   */
  public static class Flush {
    private int maxEvents = 1000;
    private Duration maxAge = Duration.ofMinutes(5);

    /**
     * Normalized record bytes buffered and being written, over all partitions of this replica, at
     * which consumption pauses until the flushes bring them below three quarters.
     */
    private DataSize maxBufferedBytes = DataSize.ofMegabytes(64);

    public DataSize getMaxBufferedBytes() {
      return maxBufferedBytes;
    }

    public void setMaxBufferedBytes(DataSize maxBufferedBytes) {
      this.maxBufferedBytes = maxBufferedBytes;
    }

    public int getMaxEvents() {
      return maxEvents;
    }

    public void setMaxEvents(int maxEvents) {
      this.maxEvents = maxEvents;
    }

    public Duration getMaxAge() {
      return maxAge;
    }

    public void setMaxAge(Duration maxAge) {
      this.maxAge = maxAge;
    }
  }

  /**
   * The management API ({@code /subscriptions/...}, shaped like Microsoft.HealthcareApis) and the
   * durable store of its resources.
   */
  public static class Management {
    /** Whether the API is served and API-made connectors run on this replica. */
    private boolean enabled = true;

    /** The compacted topic holding the resources, on the service's broker. */
    private String topic = "iomt-management";

    /** How long a write waits for the broker and for this replica to read it back. */
    private Duration writeTimeout = Duration.ofSeconds(30);

    /** The subscription id under which connectors of the configuration file are shown. */
    private String subscriptionId = "00000000-0000-0000-0000-000000000000";

    /** The resource group under which connectors of the configuration file are shown. */
    private String resourceGroup = "iomt";

    /** The workspace under which connectors of the configuration file are shown (read-only). */
    private String configurationWorkspace = "configuration";

    /** How many resources a list answers per page (the rest through {@code nextLink}). */
    private int pageSize = 100;

    /** Keys for local use, each with a role; compared in constant time, never logged. */
    private List<ApiKey> apiKeys = new ArrayList<>();

    private final OAuth2 oauth2 = new OAuth2();
    private final CheckpointAccount checkpoints = new CheckpointAccount();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getTopic() {
      return topic;
    }

    public void setTopic(String topic) {
      this.topic = topic;
    }

    public Duration getWriteTimeout() {
      return writeTimeout;
    }

    public void setWriteTimeout(Duration writeTimeout) {
      this.writeTimeout = writeTimeout;
    }

    public String getSubscriptionId() {
      return subscriptionId;
    }

    public void setSubscriptionId(String subscriptionId) {
      this.subscriptionId = subscriptionId;
    }

    public String getResourceGroup() {
      return resourceGroup;
    }

    public void setResourceGroup(String resourceGroup) {
      this.resourceGroup = resourceGroup;
    }

    public String getConfigurationWorkspace() {
      return configurationWorkspace;
    }

    public void setConfigurationWorkspace(String configurationWorkspace) {
      this.configurationWorkspace = configurationWorkspace;
    }

    public int getPageSize() {
      return pageSize;
    }

    public void setPageSize(int pageSize) {
      this.pageSize = pageSize;
    }

    public List<ApiKey> getApiKeys() {
      return apiKeys;
    }

    public void setApiKeys(List<ApiKey> apiKeys) {
      this.apiKeys = apiKeys;
    }

    public OAuth2 getOauth2() {
      return oauth2;
    }

    /**
     * Where Event Hubs sources of API-made connectors keep their checkpoints when the connector
     * names none: one container per connector ({@code iomt-<workspace>-<connector>}), made at
     * provisioning, in this account (its blob endpoint with the shared Azure credential, or a
     * connection string).
     */
    public CheckpointAccount getCheckpoints() {
      return checkpoints;
    }
  }

  /** A Storage account for checkpoint containers: its blob endpoint, or a connection string. */
  public static class CheckpointAccount {
    /** e.g. {@code https://account.blob.core.windows.net}, with the shared Azure credential. */
    private String blobEndpoint;

    /** A Storage connection string (a secret: never logged). */
    private String connectionString;

    public String getBlobEndpoint() {
      return blobEndpoint;
    }

    public void setBlobEndpoint(String blobEndpoint) {
      this.blobEndpoint = blobEndpoint;
    }

    public String getConnectionString() {
      return connectionString;
    }

    public void setConnectionString(String connectionString) {
      this.connectionString = connectionString;
    }

    @Override
    public String toString() {
      return "CheckpointAccount[blobEndpoint=" + blobEndpoint + ", connection string masked]";
    }
  }

  /** A management API key and the role it grants. */
  public static class ApiKey {
    /** Who uses the key, for the audit log (never the key itself). */
    private String name;

    private String key;

    /** {@code reader} (GET and list) or {@code contributor} (also PUT, PATCH, DELETE). */
    private String role = "reader";

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getKey() {
      return key;
    }

    public void setKey(String key) {
      this.key = key;
    }

    public String getRole() {
      return role;
    }

    public void setRole(String role) {
      this.role = role;
    }

    @Override
    public String toString() {
      return "ApiKey[name=" + name + ", role=" + role + ", key masked]";
    }
  }

  /** OAuth2/OIDC bearer tokens for the management API (Spring Security resource server). */
  public static class OAuth2 {
    /** The issuer; its OpenID configuration names the JWKS (e.g. Entra ID's v2.0 issuer). */
    private String issuerUri;

    /** The JWKS URL, when the issuer publishes no OpenID configuration. */
    private String jwkSetUri;

    /** The audiences a token must carry one of ({@code aud}); empty accepts any. */
    private List<String> audiences = new ArrayList<>();

    /** The claim holding the caller's roles (Entra ID app roles are in {@code roles}). */
    private String rolesClaim = "roles";

    /** Role values that grant the reader role. */
    private List<String> readerRoles = new ArrayList<>(List.of("IoMT.Reader"));

    /** Role values that grant the contributor role (which includes reading). */
    private List<String> contributorRoles = new ArrayList<>(List.of("IoMT.Contributor"));

    public String getIssuerUri() {
      return issuerUri;
    }

    public void setIssuerUri(String issuerUri) {
      this.issuerUri = issuerUri;
    }

    public String getJwkSetUri() {
      return jwkSetUri;
    }

    public void setJwkSetUri(String jwkSetUri) {
      this.jwkSetUri = jwkSetUri;
    }

    public List<String> getAudiences() {
      return audiences;
    }

    public void setAudiences(List<String> audiences) {
      this.audiences = audiences;
    }

    public String getRolesClaim() {
      return rolesClaim;
    }

    public void setRolesClaim(String rolesClaim) {
      this.rolesClaim = rolesClaim;
    }

    public List<String> getReaderRoles() {
      return readerRoles;
    }

    public void setReaderRoles(List<String> readerRoles) {
      this.readerRoles = readerRoles;
    }

    public List<String> getContributorRoles() {
      return contributorRoles;
    }

    public void setContributorRoles(List<String> contributorRoles) {
      this.contributorRoles = contributorRoles;
    }
  }
}
