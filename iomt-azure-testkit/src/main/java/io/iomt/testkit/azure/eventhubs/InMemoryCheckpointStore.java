package io.iomt.testkit.azure.eventhubs;

import com.azure.messaging.eventhubs.CheckpointStore;
import com.azure.messaging.eventhubs.models.Checkpoint;
import com.azure.messaging.eventhubs.models.PartitionOwnership;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A checkpoint store in memory with etag-checked claims, as the Blob store does them, for tests and
 * benchmarks that leave Blob latency out. Checkpoint writes can be made to fail. Thread-safe.
 */
public final class InMemoryCheckpointStore implements CheckpointStore {

  private final Map<String, PartitionOwnership> ownership = new ConcurrentHashMap<>();
  private final Map<String, Checkpoint> checkpoints = new ConcurrentHashMap<>();
  private volatile RuntimeException checkpointFailure;

  @Override
  public Flux<PartitionOwnership> listOwnership(String namespace, String hub, String group) {
    return Flux.fromIterable(List.copyOf(ownership.values()));
  }

  @Override
  public synchronized Flux<PartitionOwnership> claimOwnership(List<PartitionOwnership> requested) {
    List<PartitionOwnership> claimed = new ArrayList<>();
    for (PartitionOwnership claim : requested) {
      PartitionOwnership current = ownership.get(claim.getPartitionId());
      boolean free = current == null && claim.getETag() == null;
      boolean matches = current != null && current.getETag().equals(claim.getETag());
      if (free || matches) {
        PartitionOwnership granted =
            new PartitionOwnership()
                .setFullyQualifiedNamespace(claim.getFullyQualifiedNamespace())
                .setEventHubName(claim.getEventHubName())
                .setConsumerGroup(claim.getConsumerGroup())
                .setPartitionId(claim.getPartitionId())
                .setOwnerId(claim.getOwnerId())
                .setLastModifiedTime(System.currentTimeMillis())
                .setETag(UUID.randomUUID().toString());
        ownership.put(claim.getPartitionId(), granted);
        claimed.add(granted);
      }
    }
    return Flux.fromIterable(claimed);
  }

  @Override
  public Flux<Checkpoint> listCheckpoints(String namespace, String hub, String group) {
    return Flux.fromIterable(List.copyOf(checkpoints.values()));
  }

  @Override
  public Mono<Void> updateCheckpoint(Checkpoint checkpoint) {
    RuntimeException failure = checkpointFailure;
    if (failure != null) {
      return Mono.error(failure);
    }
    return Mono.fromRunnable(() -> checkpoints.put(checkpoint.getPartitionId(), checkpoint));
  }

  /** Every later checkpoint write fails with {@code failure} (null: they succeed again). */
  public void failCheckpoints(RuntimeException failure) {
    this.checkpointFailure = failure;
  }

  /** The checkpoints written, by partition id. */
  public Map<String, Checkpoint> checkpoints() {
    return Map.copyOf(checkpoints);
  }

  /** The owner of each partition now. */
  public Map<String, String> owners() {
    Map<String, String> owners = new ConcurrentHashMap<>();
    ownership.forEach((partition, o) -> owners.put(partition, o.getOwnerId()));
    return owners;
  }
}
