package io.iomt.azure.kafka;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A {@link TokenCredential} registered for Kafka clients of one Event Hubs namespace, and the
 * client properties that log in with it: SASL OAUTHBEARER over SASL_SSL to {@code
 * <namespace>:9093}, tokens for the scope {@code https://<namespace>/.default}.
 *
 * <p>Kafka instantiates the login callback handler by class name, so it cannot be handed the
 * credential: {@link #register} puts the credential in a process-wide registry under a random id,
 * and {@link #clientProperties()} names that id in the JAAS configuration ({@code
 * OAuthBearerLoginModule required azureCredentialId="<id>";}), where {@link
 * EventHubsTokenCallbackHandler} looks it up when a client is built. The id is in the JAAS text on
 * purpose: Kafka shares one login (and its token refresh thread) between all clients of a JVM whose
 * JAAS text and {@code sasl.*} settings are equal, so clients of different registrations never
 * share tokens, and clients of one registration share one.
 *
 * <p><b>Lifecycle.</b> Register once per namespace and credential, build any number of clients, and
 * {@link #close()} when the last client is closed. Clients built before {@link #close()} keep the
 * credential (their handler resolved it when configured) and keep refreshing tokens. A client built
 * after it fails to configure, naming the unknown id, unless a client of the registration is still
 * open: Kafka then gives the new client that client's login without configuring a handler.
 *
 * <p><b>Thread-safety.</b> Immutable but for the registry entry; the registry is a concurrent map,
 * so registering, closing and building clients may happen from any thread.
 */
public final class EventHubsOAuthBearer implements AutoCloseable {

  /** The JAAS option of {@code OAuthBearerLoginModule} that names the registration. */
  public static final String CREDENTIAL_ID_OPTION = "azureCredentialId";

  /** The port of an Event Hubs namespace's Kafka endpoint. */
  public static final int KAFKA_PORT = 9093;

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
  private static final Map<String, EventHubsOAuthBearer> REGISTRY = new ConcurrentHashMap<>();

  private final String id;
  private final String namespace;
  private final TokenCredential credential;

  private EventHubsOAuthBearer(String id, String namespace, TokenCredential credential) {
    this.id = id;
    this.namespace = namespace;
    this.credential = credential;
  }

  /**
   * Registers {@code credential} for Kafka clients of {@code namespace}.
   *
   * @param namespace the namespace's fully qualified name, e.g. {@code
   *     contoso.servicebus.windows.net} (no scheme, port or path); the token scope is {@code
   *     https://<namespace>/.default}
   * @param credential gives the tokens; called by Kafka's login (at the first client) and its
   *     refresh thread (before each token expires), never cached here (azure-identity credentials
   *     cache their tokens themselves)
   * @throws IllegalArgumentException if {@code namespace} is not a host name
   */
  public static EventHubsOAuthBearer register(String namespace, TokenCredential credential) {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(credential, "credential");
    if (!HOST.matcher(namespace).matches()) {
      throw new IllegalArgumentException(
          "'"
              + namespace
              + "' is not a namespace host name such as contoso.servicebus.windows.net");
    }
    EventHubsOAuthBearer registration =
        new EventHubsOAuthBearer(
            UUID.randomUUID().toString(), namespace.toLowerCase(Locale.ROOT), credential);
    REGISTRY.put(registration.id, registration);
    return registration;
  }

  /**
   * Registers azure-identity's default credential chain (environment, workload identity, managed
   * identity, Azure CLI, ...) for Kafka clients of {@code namespace}. Building it contacts no
   * endpoint; the first client's login does.
   *
   * @throws IllegalArgumentException if {@code namespace} is not a host name
   */
  public static EventHubsOAuthBearer withDefaultCredential(String namespace) {
    return register(namespace, new DefaultAzureCredentialBuilder().build());
  }

  /** The registration under {@code id}, if it is registered and not closed. */
  static Optional<EventHubsOAuthBearer> lookup(String id) {
    return Optional.ofNullable(REGISTRY.get(id));
  }

  /** The registry key named in the JAAS configuration. */
  public String id() {
    return id;
  }

  /** The namespace, lower case, e.g. {@code contoso.servicebus.windows.net}. */
  public String namespace() {
    return namespace;
  }

  /** The scope tokens are asked for: {@code https://<namespace>/.default}. */
  public String scope() {
    return "https://" + namespace + "/.default";
  }

  TokenCredential credential() {
    return credential;
  }

  /**
   * The Kafka client properties for the namespace's Kafka endpoint: {@code bootstrap.servers} =
   * {@code <namespace>:9093}, {@code security.protocol=SASL_SSL}, {@code
   * sasl.mechanism=OAUTHBEARER}, {@code sasl.login.callback.handler.class} = {@link
   * EventHubsTokenCallbackHandler}, and the JAAS configuration naming this registration. Callers
   * may override {@code bootstrap.servers} and {@code security.protocol} (tests do: no TLS runs on
   * their loopback broker); the token scope stays the namespace's.
   */
  public Map<String, Object> clientProperties() {
    return Map.of(
        "bootstrap.servers",
        namespace + ":" + KAFKA_PORT,
        "security.protocol",
        "SASL_SSL",
        "sasl.mechanism",
        "OAUTHBEARER",
        "sasl.login.callback.handler.class",
        EventHubsTokenCallbackHandler.class.getName(),
        "sasl.jaas.config",
        jaasConfig());
  }

  /** {@code OAuthBearerLoginModule required azureCredentialId="<id>";} */
  public String jaasConfig() {
    return "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required "
        + CREDENTIAL_ID_OPTION
        + "=\""
        + id
        + "\";";
  }

  /** Removes the registration; clients already built keep working. Idempotent. */
  @Override
  public void close() {
    REGISTRY.remove(id, this);
  }

  @Override
  public String toString() {
    return "EventHubsOAuthBearer[namespace=" + namespace + ", id=" + id + "]";
  }
}
