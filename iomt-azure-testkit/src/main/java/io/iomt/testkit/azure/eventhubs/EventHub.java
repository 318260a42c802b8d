package io.iomt.testkit.azure.eventhubs;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** One hub of the namespace: its partitions and consumer groups. Thread-safe. */
final class EventHub {

  static final String DEFAULT_CONSUMER_GROUP = "$Default";

  private final String name;
  private final Instant createdAt;
  private final List<PartitionLog> partitions;
  private final Set<String> consumerGroups;
  private final AtomicInteger roundRobin = new AtomicInteger();

  EventHub(String name, int partitionCount, Set<String> consumerGroups, Clock clock) {
    this.name = name;
    this.createdAt = clock.instant();
    List<PartitionLog> logs = new ArrayList<>();
    for (int i = 0; i < partitionCount; i++) {
      logs.add(new PartitionLog(Integer.toString(i), clock));
    }
    this.partitions = List.copyOf(logs);
    this.consumerGroups =
        consumerGroups.stream()
            .map(g -> g.toLowerCase(Locale.ROOT))
            .collect(java.util.stream.Collectors.toSet());
  }

  String name() {
    return name;
  }

  Instant createdAt() {
    return createdAt;
  }

  List<PartitionLog> partitions() {
    return partitions;
  }

  String[] partitionIds() {
    return partitions.stream().map(PartitionLog::partitionId).toArray(String[]::new);
  }

  Optional<PartitionLog> partition(String id) {
    return partitions.stream().filter(p -> p.partitionId().equals(id)).findFirst();
  }

  /** Consumer group names are case-insensitive, as in Event Hubs. */
  boolean hasConsumerGroup(String group) {
    return consumerGroups.contains(group.toLowerCase(Locale.ROOT));
  }

  /**
   * The partition a send to the hub itself lands on: by the key's hash when there is one (stable,
   * but not Event Hubs' own hash function), else round robin.
   */
  PartitionLog partitionFor(String partitionKey) {
    int index =
        partitionKey == null
            ? Math.floorMod(roundRobin.getAndIncrement(), partitions.size())
            : Math.floorMod(partitionKey.hashCode(), partitions.size());
    return partitions.get(index);
  }
}
