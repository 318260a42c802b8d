package io.iomt.testkit.azure.eventhubs;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the connections of one server share: the hubs, access control, partition ownership and
 * counters. Hubs and counters are thread-safe; {@link #ownership()} is used on the server thread
 * only.
 */
final class ServerContext {

  private final String host;
  private final Map<String, EventHub> hubs = new ConcurrentHashMap<>();
  private final AccessControl access;
  private final OwnershipRegistry ownership = new OwnershipRegistry();
  private final Clock clock;
  final AtomicLong connectionsOpened = new AtomicLong();
  final AtomicLong putTokensAccepted = new AtomicLong();
  final AtomicLong putTokensRefused = new AtomicLong();
  final Map<String, AtomicLong> receiversAttached = new ConcurrentHashMap<>();

  ServerContext(String host, Iterable<EventHub> hubs, AccessControl access, Clock clock) {
    this.host = host;
    hubs.forEach(hub -> this.hubs.put(hub.name().toLowerCase(Locale.ROOT), hub));
    this.access = access;
    this.clock = clock;
  }

  String host() {
    return host;
  }

  Clock clock() {
    return clock;
  }

  AccessControl access() {
    return access;
  }

  OwnershipRegistry ownership() {
    return ownership;
  }

  /** Hub names are case-insensitive, as in Event Hubs. */
  Optional<EventHub> hub(String name) {
    return Optional.ofNullable(hubs.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The description Event Hubs gives for a missing entity (the SDK matches it to NOT_FOUND). */
  String notFound(String entityPath) {
    return "The messaging entity 'sb://" + host + "/" + entityPath + "' could not be found.";
  }

  static String receiverKey(String hub, String consumerGroup, String partitionId) {
    return (hub + "/" + consumerGroup + "/" + partitionId).toLowerCase(Locale.ROOT);
  }

  void countReceiverAttached(String key) {
    receiversAttached.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }
}
