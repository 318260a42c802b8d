package io.iomt.testkit.azure.eventhubs;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * An AMQP 1.0 server on loopback that speaks enough of Azure Event Hubs for the real {@code
 * azure-messaging-eventhubs} clients ({@code EventHubProducerClient}, {@code
 * EventHubConsumerAsyncClient}, {@code EventProcessorClient}) to run against it with a {@code
 * UseDevelopmentEmulator=true} connection string (plain AMQP, no TLS). A test fixture: it never
 * ships.
 *
 * <p><b>Implemented:</b> SASL (ANONYMOUS, PLAIN, MSSBCBS, all accepted); {@code $cbs} put-token
 * with Shared Access Signatures checked against the configured keys (HMAC-SHA256, expiry, the
 * token's resource covering the audience) and, if configured, bearer tokens ({@code jwt}); {@code
 * $management} READ of hub and partition properties; partition receivers with the
 * offset/sequence-number/enqueued-time selector filter, owner level (epoch) takeover with {@code
 * amqp:link:stolen}, the runtime metric (last enqueued event) delivery annotations; producers to
 * the hub (partition by key hash or round robin) and to a partition, single messages and batches
 * (message format {@code 0x80013700}); consumer groups; revoking access ({@code
 * amqp:unauthorized-access} on every event link, 401 on put-token) and rotating keys.
 *
 * <p><b>Not implemented:</b> TLS and WebSockets; idempotent/transactional producers;
 * geo-replication offsets; retention (events are kept until {@link #close()}); Event Hubs'
 * partition-key hash function (a stable Java hash is used); token expiry of links that are already
 * attached; the Kafka endpoint; quotas other than five receivers without epoch per partition; IoT
 * Hub's own service endpoints (only its Event-Hub-compatible endpoint, which is this).
 *
 * <p>Thread-safe: one server thread drives the protocol; the methods here may be called from any
 * thread. {@link #close()} closes every connection and stops the thread.
 */
public final class EventHubsTestServer implements AutoCloseable {

  private final Options options;
  private final ServerContext context;
  private final ServerLoop loop;

  private EventHubsTestServer(Options options) {
    this.options = options;
    List<EventHub> hubs = new ArrayList<>();
    options.hubs.forEach(
        (name, partitions) ->
            hubs.add(
                new EventHub(
                    name,
                    partitions,
                    options.consumerGroups.getOrDefault(name, Set.of()),
                    options.clock)));
    AccessControl access = new AccessControl(options.keys, options.bearerTokens, options.clock);
    this.context = new ServerContext("127.0.0.1", hubs, access, options.clock);
    this.loop = new ServerLoop(context);
  }

  /** Starts a server on a free port of 127.0.0.1. */
  public static EventHubsTestServer start(Options options) {
    EventHubsTestServer server = new EventHubsTestServer(options.validated());
    server.loop.start();
    return server;
  }

  /** The port on 127.0.0.1. */
  public int port() {
    return loop.port();
  }

  /** The endpoint, {@code sb://127.0.0.1:PORT}. */
  public String endpoint() {
    return "sb://127.0.0.1:" + port();
  }

  /** A connection string for the first hub with the first key. */
  public String connectionString() {
    return connectionString(options.hubs.keySet().iterator().next());
  }

  /** A connection string for this hub with the first key. */
  public String connectionString(String hub) {
    return connectionString(hub, options.keys.keySet().iterator().next());
  }

  /** A connection string for this hub with this named key (its current value). */
  public String connectionString(String hub, String keyName) {
    return "Endpoint="
        + endpoint()
        + ";SharedAccessKeyName="
        + keyName
        + ";SharedAccessKey="
        + context.access().key(keyName)
        + ";EntityPath="
        + hub
        + ";UseDevelopmentEmulator=true";
  }

  /** The fully qualified namespace for credential-based clients: {@code 127.0.0.1}. */
  public String fullyQualifiedNamespace() {
    return "127.0.0.1";
  }

  /** Appends an event to a partition as if a producer had sent it; returns what was stored. */
  public StoredEvent publish(String hub, String partitionId, TestEvent event) {
    StoredEvent stored = partition(hub, partitionId).append(event);
    loop.pumpAll();
    return stored;
  }

  /**
   * The events a partition holds, in order (what producers sent, with what the server assigned).
   */
  public List<StoredEvent> events(String hub, String partitionId) {
    return partition(hub, partitionId).snapshot();
  }

  /** The events of every partition of the hub, partition by partition. */
  public List<StoredEvent> events(String hub) {
    List<StoredEvent> all = new ArrayList<>();
    requireHub(hub).partitions().forEach(p -> all.addAll(p.snapshot()));
    return all;
  }

  /**
   * Revokes access: every later put-token or management request fails with 401, and every link
   * carrying events is detached with {@code amqp:unauthorized-access} (as Event Hubs does when a
   * key or role is revoked). Returns once the detaches are written.
   */
  public void revokeKeys() {
    context.access().revoke();
    loop.revokeAll();
  }

  /** Accepts valid tokens again (clients must authorize anew: grants were dropped on revoke). */
  public void restoreKeys() {
    context.access().restore();
  }

  /** Replaces a key's value: tokens signed with the old value are refused from now on. */
  public void rotateKey(String keyName, String newKey) {
    context.access().key(keyName);
    context.access().rotate(keyName, newKey);
  }

  /** Connections accepted so far. */
  public long connectionsOpened() {
    return context.connectionsOpened.get();
  }

  /** Connections open now. */
  public int openConnections() {
    return loop.openConnections();
  }

  /** Put-token requests answered 200. */
  public long putTokensAccepted() {
    return context.putTokensAccepted.get();
  }

  /** Put-token requests refused (401 or 404). */
  public long putTokensRefused() {
    return context.putTokensRefused.get();
  }

  /** Receivers ever attached to this partition in this consumer group. */
  public long receiversAttached(String hub, String consumerGroup, String partitionId) {
    AtomicLong count =
        context.receiversAttached.get(ServerContext.receiverKey(hub, consumerGroup, partitionId));
    return count == null ? 0 : count.get();
  }

  /** Receivers attached to this partition in this consumer group now. */
  public int activeReceivers(String hub, String consumerGroup, String partitionId) {
    String key = ServerContext.receiverKey(hub, consumerGroup, partitionId);
    return loop.call(() -> context.ownership().active(key));
  }

  /** Closes every connection and stops the server thread. Idempotent. */
  @Override
  public void close() {
    loop.stop();
  }

  private EventHub requireHub(String hub) {
    return context.hub(hub).orElseThrow(() -> new IllegalArgumentException("no hub " + hub));
  }

  private PartitionLog partition(String hub, String partitionId) {
    return requireHub(hub)
        .partition(partitionId)
        .orElseThrow(
            () -> new IllegalArgumentException("no partition " + partitionId + " in " + hub));
  }

  /**
   * What the server holds: hubs with their partition count, consumer groups ({@code $Default}
   * always exists), SAS keys (a default one named {@code RootManageSharedAccessKey} if none is
   * given), an optional bearer-token check and the clock stamping enqueued times. Not thread-safe;
   * build it, then start the server.
   */
  public static final class Options {
    private final Map<String, Integer> hubs = new LinkedHashMap<>();
    private final Map<String, Set<String>> consumerGroups = new LinkedHashMap<>();
    private final Map<String, String> keys = new LinkedHashMap<>();
    private Predicate<String> bearerTokens;
    private Clock clock = Clock.systemUTC();

    /** Options with no hub yet. */
    public static Options create() {
      return new Options();
    }

    /** Adds a hub with this many partitions (ids {@code 0..n-1}) and the {@code $Default} group. */
    public Options hub(String name, int partitions) {
      if (partitions < 1) {
        throw new IllegalArgumentException("a hub needs at least one partition");
      }
      hubs.put(name, partitions);
      consumerGroups
          .computeIfAbsent(name, n -> new LinkedHashSet<>())
          .add(EventHub.DEFAULT_CONSUMER_GROUP);
      return this;
    }

    /** Adds a consumer group to a hub added before. */
    public Options consumerGroup(String hub, String name) {
      if (!hubs.containsKey(hub)) {
        throw new IllegalArgumentException("add hub " + hub + " before its consumer groups");
      }
      consumerGroups.get(hub).add(name);
      return this;
    }

    /** Adds a SAS key (a policy name and its key). The first one is used by default. */
    public Options sasKey(String name, String key) {
      keys.put(Objects.requireNonNull(name), Objects.requireNonNull(key));
      return this;
    }

    /** Accepts bearer tokens (put-token type {@code jwt}) that this predicate accepts. */
    public Options acceptBearerTokens(Predicate<String> check) {
      this.bearerTokens = Objects.requireNonNull(check);
      return this;
    }

    /** The clock for enqueued times and token expiry (default: system UTC). */
    public Options clock(Clock newClock) {
      this.clock = Objects.requireNonNull(newClock);
      return this;
    }

    Options validated() {
      if (hubs.isEmpty()) {
        throw new IllegalArgumentException("add at least one hub");
      }
      if (keys.isEmpty()) {
        keys.put("RootManageSharedAccessKey", "test-key-" + java.util.UUID.randomUUID());
      }
      return this;
    }
  }
}
