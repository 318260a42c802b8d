package io.iomt.embedded.kafka;

import java.nio.file.Path;
import java.util.Optional;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka 3.9 broker, in process: a single KRaft node that is broker and controller at once,
 * listening on {@code 127.0.0.1}. Every replication factor and minimum ISR is 1, consumer groups
 * rebalance without the initial delay, and transactions work, so consumer groups, committed offsets
 * and {@code read_committed} consumers behave as on a cluster. Topics are auto-created on first use
 * with one partition; {@link #createTopic} makes more.
 *
 * <p><b>Data.</b> Topics, records, committed offsets and transaction state live in {@code
 * <dataDir>/kafka}, formatted on the first start. Starting a new broker on the same directory (and
 * with {@link #start(Path, int)} on the same port, so that clients configured with the old address
 * reconnect) after {@link #stop()} keeps all of it. The directory belongs to the caller: the broker
 * never deletes it. Two brokers must never run on one directory at once.
 *
 * <p><b>Lifecycle.</b> The static {@code start} methods return once the broker accepts clients: 3–7
 * s for the first broker of a JVM on two busy cores (class loading, mostly), under 1 s for later
 * ones. A running broker holds about 40 MB of heap and adds about 200 MB to the process's RSS.
 * {@link #stop()} shuts it down cleanly (logs flushed and marked clean, ports released) and waits
 * for that; the instance cannot be started again: start a new one on the same directory. {@link
 * #close()} is {@link #stop()}.
 *
 * <p><b>Event Hubs listener.</b> {@link #startWithEventHubsListener} opens a second listener that
 * authenticates like the Kafka endpoint of an Azure Event Hubs namespace: {@code
 * security.protocol=SASL_PLAINTEXT} (a namespace uses {@code SASL_SSL}), {@code
 * sasl.mechanism=PLAIN}, user {@code $ConnectionString}, password the connection string; or {@code
 * sasl.mechanism=OAUTHBEARER} (Azure AD) with an unsecured JWT ({@code alg: none}, claims {@code
 * sub}, {@code iat}, {@code exp} in seconds, and {@code scope} holding {@link
 * #eventHubsOAuthScope()}), checked by Kafka's built-in unsecured validator: the client side is the
 * real one, only the token is unsigned. Any other credentials, an expired token or one without the
 * scope are refused with an authentication error. OAUTHBEARER sessions end when their token
 * expires: clients keep their connections by re-authenticating with a refreshed token.
 *
 * <p><b>Failures.</b> A broker that cannot start (its port is taken, its directory belongs to
 * another node) throws Kafka's exception, whose causes say why, after releasing what it took: the
 * directory can be used again. Kafka halts the JVM on some fatal faults (a failed log directory, a
 * controller fault), as a real broker process would.
 *
 * <p><b>Thread-safety.</b> All methods are thread-safe; {@link #stop()} is serialized and
 * idempotent. A broker registers process-wide JMX beans and metrics: one broker at a time per JVM
 * is what the tests cover.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private final KafkaRaftServer server;
  private final int port;
  private final Optional<EventHubsListener> eventHubs;
  private boolean stopped;

  private EmbeddedKafkaBroker(
      KafkaRaftServer server, int port, Optional<EventHubsListener> eventHubs) {
    this.server = server;
    this.port = port;
    this.eventHubs = eventHubs;
  }

  /** Starts a broker on a free loopback port, with its data in {@code dataDir}. */
  public static EmbeddedKafkaBroker start(Path dataDir) {
    return start(dataDir, LoopbackPorts.free());
  }

  /**
   * Starts a broker on the given loopback port, with its data in {@code dataDir}: the way to
   * restart a stopped broker under the address its clients know.
   *
   * @throws RuntimeException (Kafka's) if the broker cannot start, for example because the port is
   *     taken
   */
  public static EmbeddedKafkaBroker start(Path dataDir, int port) {
    return launch(dataDir, port, Optional.empty());
  }

  /**
   * Starts a broker on free loopback ports with a second, Event Hubs-style listener (see the class
   * comment) that accepts user {@code $ConnectionString} with password {@code connectionString},
   * and OAUTHBEARER tokens for the namespace the connection string names.
   *
   * @throws IllegalArgumentException if the connection string has no {@code
   *     Endpoint=sb://<namespace>/} part
   */
  public static EmbeddedKafkaBroker startWithEventHubsListener(
      Path dataDir, String connectionString) {
    int eventHubsPort = LoopbackPorts.free();
    EventHubsListener listener = new EventHubsListener(eventHubsPort, connectionString);
    listener.namespace();
    return launch(dataDir, LoopbackPorts.free(eventHubsPort), Optional.of(listener));
  }

  /** The plaintext listener, {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The port of the plaintext listener, to start a broker on the same address again. */
  public int port() {
    return port;
  }

  /**
   * The Event Hubs-style SASL listener, {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}.
   *
   * @throws IllegalStateException if the broker was not started with one
   */
  public String eventHubsBootstrapServers() {
    return "127.0.0.1:"
        + eventHubs.orElseThrow(() -> new IllegalStateException("no Event Hubs listener")).port();
  }

  /**
   * The namespace the Event Hubs-style listener stands for (the host of the connection string's
   * {@code Endpoint}), e.g. {@code iomt-test.servicebus.windows.net}.
   *
   * @throws IllegalStateException if the broker was not started with one
   */
  public String eventHubsNamespace() {
    return eventHubs
        .orElseThrow(() -> new IllegalStateException("no Event Hubs listener"))
        .namespace();
  }

  /**
   * The scope the Event Hubs-style listener requires in OAUTHBEARER tokens: {@code
   * https://<namespace>/.default}.
   *
   * @throws IllegalStateException if the broker was not started with one
   */
  public String eventHubsOAuthScope() {
    return eventHubs
        .orElseThrow(() -> new IllegalStateException("no Event Hubs listener"))
        .oauthScope();
  }

  /**
   * Creates a topic with {@code partitions} partitions and returns once the broker serves it: every
   * partition has a leader in the metadata and that leader answers requests, so a describe, produce
   * or consume right after never meets an unknown topic or NOT_LEADER_OR_FOLLOWER. Waits at most 30
   * s.
   *
   * @throws IllegalStateException if the topic exists or the broker is stopped
   */
  public void createTopic(String name, int partitions) {
    synchronized (this) {
      if (stopped) {
        throw new IllegalStateException("the broker is stopped");
      }
    }
    TopicAdmin.create(bootstrapServers(), name, partitions);
  }

  /** Shuts the broker down cleanly and waits for it; does nothing if it is stopped. */
  public synchronized void stop() {
    if (!stopped) {
      stopped = true;
      server.shutdown();
      server.awaitShutdown();
    }
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  private static EmbeddedKafkaBroker launch(
      Path dataDir, int port, Optional<EventHubsListener> eventHubs) {
    long started = System.nanoTime();
    Path logDir = dataDir.resolve("kafka");
    KraftStorage.formatIfNeeded(logDir);
    KafkaConfig config =
        KafkaConfig.fromProps(
            BrokerProperties.of(
                logDir,
                port,
                LoopbackPorts.free(port, eventHubs.map(EventHubsListener::port).orElse(port)),
                eventHubs),
            false);
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    try {
      server.startup();
    } catch (RuntimeException e) {
      server.shutdown();
      server.awaitShutdown();
      throw e;
    }
    LOG.info(
        "Kafka broker on 127.0.0.1:{} ready after {} ms",
        port,
        (System.nanoTime() - started) / 1_000_000);
    return new EmbeddedKafkaBroker(server, port, eventHubs);
  }
}
