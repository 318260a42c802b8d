package io.iomt.service;

import io.iomt.azure.kafka.EventHubsOAuthBearer;
import io.iomt.embedded.kafka.EmbeddedKafkaBroker;
import io.iomt.pipeline.KafkaClients;
import io.iomt.service.ingest.RecordSize;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker the service talks to: the configured cluster, or (none configured) an in-process
 * single-node KRaft broker with its data in {@code <data-dir>/kafka}, so a restart keeps topics,
 * records and committed offsets. With {@code iomt.kafka.event-hubs-namespace} the clients log in
 * with Azure AD (SASL OAUTHBEARER) through the credential an {@link EventHubsLogin} registers; the
 * registration is closed with the runtime.
 */
public final class KafkaRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaRuntime.class);

  /**
   * Registers the Azure AD credential that logs Kafka clients in to an Event Hubs namespace (called
   * once, only when {@code iomt.kafka.event-hubs-namespace} is set). Implementations live where the
   * credential is configured; the service never touches the Azure SDK itself.
   */
  @FunctionalInterface
  public interface EventHubsLogin {
    /**
     * @param namespace the checked namespace host name
     * @return the registration whose client properties log in with its credential; closed with the
     *     runtime
     */
    EventHubsOAuthBearer register(String namespace);
  }

  private final EmbeddedKafkaBroker embedded;
  private final KafkaClients clients;
  private final EventHubsOAuthBearer oauthBearer;

  private KafkaRuntime(
      EmbeddedKafkaBroker embedded, KafkaClients clients, EventHubsOAuthBearer oauthBearer) {
    this.embedded = embedded;
    this.clients = clients;
    this.oauthBearer = oauthBearer;
  }

  /**
   * Connects to the configured cluster, or starts the embedded broker.
   *
   * @param eventHubsLogin registers the Azure AD credential when the configuration names an Event
   *     Hubs namespace; not called otherwise
   */
  public static KafkaRuntime start(
      ServiceConfiguration config, Path dataDir, int embeddedPort, EventHubsLogin eventHubsLogin) {
    // Producers and created topics carry any record a message within the ingest limit makes.
    int maxRecord = RecordSize.forMessageLimit(config.ingestLimits().maxMessageBytes());
    Path dir = dataDir.toAbsolutePath();
    String instanceId = InstanceId.of(dir);
    if (!config.embeddedBroker()) {
      Map<String, Object> props = new HashMap<>(config.kafkaProperties());
      EventHubsOAuthBearer oauth = null;
      if (config.eventHubsNamespace().isPresent()) {
        oauth = eventHubsLogin.register(config.eventHubsNamespace().get());
        for (String key :
            List.of("sasl.mechanism", "sasl.login.callback.handler.class", "sasl.jaas.config")) {
          props.put(key, oauth.clientProperties().get(key));
        }
        LOG.info(
            "Kafka clients log in to Event Hubs namespace {} with Azure AD (scope {})",
            oauth.namespace(),
            oauth.scope());
      }
      KafkaClients clients = new KafkaClients(props, maxRecord);
      // Event Hubs' Kafka endpoint does not document static membership: stay dynamic there.
      boolean eventHubs =
          oauth != null
              || String.valueOf(props.get("sasl.jaas.config")).contains("$ConnectionString");
      return new KafkaRuntime(
          null, eventHubs ? clients : clients.withInstanceId(instanceId), oauth);
    }
    EmbeddedKafkaBroker broker =
        embeddedPort == 0
            ? EmbeddedKafkaBroker.start(dir)
            : EmbeddedKafkaBroker.start(dir, embeddedPort);
    LOG.info(
        "No iomt.kafka.bootstrap-servers: embedded broker at {} with data in {}/kafka",
        broker.bootstrapServers(),
        dir);
    Map<String, Object> props = new HashMap<>(config.kafkaProperties());
    props.put("bootstrap.servers", broker.bootstrapServers());
    return new KafkaRuntime(
        broker, new KafkaClients(props, maxRecord).withInstanceId(instanceId), null);
  }

  public KafkaClients clients() {
    return clients;
  }

  public boolean isEmbedded() {
    return embedded != null;
  }

  @Override
  public void close() {
    if (oauthBearer != null) {
      oauthBearer.close();
    }
    if (embedded != null) {
      embedded.close();
    }
  }
}
