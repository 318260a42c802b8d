package io.iomt.azure.eventhubs;

import com.azure.messaging.eventhubs.CheckpointStore;
import com.azure.messaging.eventhubs.models.Checkpoint;
import com.azure.messaging.eventhubs.models.PartitionOwnership;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Checkpoints and ownership kept in maps, as the Blob store keeps them in blobs: claims succeed
 * when the caller's etag matches (a new claim has none), as Blob's conditional writes do.
 */
final class MapCheckpointStore implements CheckpointStore {
  final Map<String, Checkpoint> checkpoints = new ConcurrentHashMap<>();
  final Map<String, PartitionOwnership> ownership = new ConcurrentHashMap<>();
  volatile RuntimeException failure;

  @Override
  public Flux<PartitionOwnership> listOwnership(String ns, String hub, String cg) {
    return Flux.fromIterable(List.copyOf(ownership.values()));
  }

  @Override
  public synchronized Flux<PartitionOwnership> claimOwnership(List<PartitionOwnership> claims) {
    List<PartitionOwnership> won = new java.util.ArrayList<>();
    for (PartitionOwnership claim : claims) {
      PartitionOwnership current = ownership.get(claim.getPartitionId());
      String etag = current == null ? null : current.getETag();
      if (java.util.Objects.equals(etag, claim.getETag())) {
        PartitionOwnership stored =
            new PartitionOwnership()
                .setFullyQualifiedNamespace(claim.getFullyQualifiedNamespace())
                .setEventHubName(claim.getEventHubName())
                .setConsumerGroup(claim.getConsumerGroup())
                .setPartitionId(claim.getPartitionId())
                .setOwnerId(claim.getOwnerId())
                .setLastModifiedTime(System.currentTimeMillis())
                .setETag(java.util.UUID.randomUUID().toString());
        ownership.put(claim.getPartitionId(), stored);
        won.add(stored);
      }
    }
    return Flux.fromIterable(won);
  }

  @Override
  public Flux<Checkpoint> listCheckpoints(String ns, String hub, String cg) {
    return Flux.fromIterable(List.copyOf(checkpoints.values()));
  }

  @Override
  public Mono<Void> updateCheckpoint(Checkpoint checkpoint) {
    if (failure != null) {
      return Mono.error(failure);
    }
    checkpoints.put(checkpoint.getPartitionId(), checkpoint);
    return Mono.empty();
  }
}
