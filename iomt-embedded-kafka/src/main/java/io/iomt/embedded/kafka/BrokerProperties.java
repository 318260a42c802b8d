package io.iomt.embedded.kafka;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * The configuration of a single-node broker that is also its own KRaft controller: every
 * replication factor and minimum ISR is 1, consumer groups rebalance without delay, transactions
 * work, and internal topics have few partitions so that the first group or transaction does not
 * wait for fifty partitions to be created on a small machine. Stateless.
 */
final class BrokerProperties {

  static final int NODE_ID = 1;
  static final String BROKER_LISTENER = "BROKER";
  static final String CONTROLLER_LISTENER = "CONTROLLER";

  /**
   * The longest SASL session on the Event Hubs listener; a shorter token lifetime ends it first.
   */
  static final long REAUTH_MS = 3_600_000;

  private BrokerProperties() {}

  /**
   * The broker's properties.
   *
   * @param logDir the directory of its metadata log and topic logs
   * @param port the loopback port of the plaintext client listener
   * @param controllerPort the loopback port of the KRaft controller listener
   * @param eventHubs the SASL listener for Event Hubs-style clients, if any
   */
  static Properties of(
      Path logDir, int port, int controllerPort, Optional<EventHubsListener> eventHubs) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("inter.broker.listener.name", BROKER_LISTENER);
    String listeners =
        listener(BROKER_LISTENER, port) + "," + listener(CONTROLLER_LISTENER, controllerPort);
    String protocols = BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT";
    if (eventHubs.isPresent()) {
      EventHubsListener listener = eventHubs.get();
      String prefix = "listener.name." + EventHubsListener.NAME.toLowerCase(Locale.ROOT) + ".";
      listeners += "," + listener(EventHubsListener.NAME, listener.port());
      protocols += "," + EventHubsListener.NAME + ":SASL_PLAINTEXT";
      p.put(prefix + "sasl.enabled.mechanisms", "PLAIN,OAUTHBEARER");
      p.put(prefix + "plain.sasl.jaas.config", listener.serverJaasConfig());
      p.put(prefix + "oauthbearer.sasl.jaas.config", listener.serverOAuthBearerJaasConfig());
      // Sessions end with their token: a client keeps its connections only by re-authenticating
      // with a refreshed token, as on Event Hubs.
      p.put(prefix + "oauthbearer.connections.max.reauth.ms", String.valueOf(REAUTH_MS));
    }
    p.put("listeners", listeners);
    p.put("listener.security.protocol.map", protocols);
    p.put("log.dirs", logDir.toAbsolutePath().toString());

    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "5");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("num.partitions", "1");
    p.put("group.initial.rebalance.delay.ms", "0");

    // Sized for tests on two cores: the cleaner's default buffer alone would take 128 MB of heap.
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.put("num.recovery.threads.per.data.dir", "1");
    p.put("background.threads", "4");
    return p;
  }

  private static String listener(String name, int port) {
    return name + "://127.0.0.1:" + port;
  }
}
