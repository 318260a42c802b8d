package io.iomt.service;

import io.iomt.embedded.kafka.EmbeddedKafkaBroker;
import io.iomt.pipeline.KafkaClients;
import io.iomt.service.ingest.RecordSize;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker the service talks to: the configured cluster, or (none configured) an in-process
 * single-node KRaft broker with its data in {@code <data-dir>/kafka}, so a restart keeps topics,
 * records and committed offsets.
 */
public final class KafkaRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaRuntime.class);

  private final EmbeddedKafkaBroker embedded;
  private final KafkaClients clients;

  private KafkaRuntime(EmbeddedKafkaBroker embedded, KafkaClients clients) {
    this.embedded = embedded;
    this.clients = clients;
  }

  public static KafkaRuntime start(ServiceConfiguration config, Path dataDir, int embeddedPort) {
    // Producers and created topics carry any record a message within the ingest limit makes.
    int maxRecord = RecordSize.forMessageLimit(config.ingestLimits().maxMessageBytes());
    Path dir = dataDir.toAbsolutePath();
    String instanceId = InstanceId.of(dir);
    if (!config.embeddedBroker()) {
      KafkaClients clients = new KafkaClients(config.kafkaProperties(), maxRecord);
      // Event Hubs' Kafka endpoint does not document static membership: stay dynamic there.
      boolean eventHubs =
          String.valueOf(config.kafkaProperties().get("sasl.jaas.config"))
              .contains("$ConnectionString");
      return new KafkaRuntime(null, eventHubs ? clients : clients.withInstanceId(instanceId));
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
    return new KafkaRuntime(broker, new KafkaClients(props, maxRecord).withInstanceId(instanceId));
  }

  public KafkaClients clients() {
    return clients;
  }

  public boolean isEmbedded() {
    return embedded != null;
  }

  @Override
  public void close() {
    if (embedded != null) {
      embedded.close();
    }
  }
}
