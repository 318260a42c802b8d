package io.iomt.testkit.azure.azurite;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.eventhubs.checkpointstore.blob.BlobCheckpointStore;
import com.azure.messaging.eventhubs.models.Checkpoint;
import com.azure.messaging.eventhubs.models.PartitionOwnership;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Event Hubs SDK's real {@link BlobCheckpointStore} against Azurite: the blob names and
 * metadata it writes are the contract that KEDA's {@code azure-eventhub} scaler ({@code
 * checkpointStrategy: blobMetadata}) reads to compute the lag, so they are asserted exactly.
 */
class BlobCheckpointStoreLayoutIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /**
   * The names as {@code EventProcessorClient} (5.21.5) passes them to its checkpoint store: it
   * lowercases the namespace, hub and consumer group in its constructor; the store itself writes
   * them as given (see the last test).
   */
  private static final String NAMESPACE = "iomt-test.servicebus.windows.net";

  private static final String HUB = "device-events";
  private static final String GROUP = "$default";
  private static final String PREFIX = "iomt-test.servicebus.windows.net/device-events/$default/";

  private BlobContainerClient container;
  private BlobCheckpointStore store;

  @BeforeEach
  void newContainer() {
    var builder =
        new BlobServiceClientBuilder().connectionString(Azurite.shared().connectionString());
    container = builder.buildClient().createBlobContainer("checkpoints-" + UUID.randomUUID());
    BlobContainerAsyncClient async =
        builder.buildAsyncClient().getBlobContainerAsyncClient(container.getBlobContainerName());
    store = new BlobCheckpointStore(async);
  }

  @Test
  void claimedOwnershipIsABlobPerPartitionWithTheOwnerIdInItsMetadata() {
    List<PartitionOwnership> claimed =
        store
            .claimOwnership(
                List.of(ownership("0", "owner-a", null), ownership("1", "owner-a", null)))
            .collectList()
            .block(TIMEOUT);

    assertThat(claimed)
        .extracting(PartitionOwnership::getPartitionId)
        .containsExactlyInAnyOrder("0", "1");
    assertThat(claimed).allSatisfy(o -> assertThat(o.getETag()).isNotBlank());
    assertThat(blobs())
        .containsOnlyKeys(PREFIX + "ownership/0", PREFIX + "ownership/1")
        .allSatisfy(
            (name, metadata) -> assertThat(metadata).isEqualTo(Map.of("ownerid", "owner-a")));

    List<PartitionOwnership> listed =
        store.listOwnership(NAMESPACE, HUB, GROUP).collectList().block(TIMEOUT);
    assertThat(listed)
        .extracting(
            PartitionOwnership::getPartitionId,
            PartitionOwnership::getOwnerId,
            PartitionOwnership::getFullyQualifiedNamespace,
            PartitionOwnership::getEventHubName,
            PartitionOwnership::getConsumerGroup)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("0", "owner-a", NAMESPACE, HUB, GROUP),
            org.assertj.core.groups.Tuple.tuple("1", "owner-a", NAMESPACE, HUB, GROUP));
    assertThat(listed).allSatisfy(o -> assertThat(o.getLastModifiedTime()).isPositive());
  }

  @Test
  void aCheckpointIsABlobPerPartitionWithSequenceNumberAndOffsetInItsMetadata() {
    store.updateCheckpoint(checkpoint("2", 41L, "8800")).block(TIMEOUT);
    store.updateCheckpoint(checkpoint("3", 7L, "1024")).block(TIMEOUT);
    store.updateCheckpoint(checkpoint("2", 42L, "9000")).block(TIMEOUT);

    assertThat(blobs())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                PREFIX + "checkpoint/2", Map.of("sequencenumber", "42", "offset", "9000"),
                PREFIX + "checkpoint/3", Map.of("sequencenumber", "7", "offset", "1024")));
    assertThat(store.listCheckpoints(NAMESPACE, HUB, GROUP).collectList().block(TIMEOUT))
        .extracting(
            Checkpoint::getPartitionId, Checkpoint::getSequenceNumber, Checkpoint::getOffsetString)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("2", 42L, "9000"),
            org.assertj.core.groups.Tuple.tuple("3", 7L, "1024"));
  }

  @Test
  void aClaimWithAStaleEtagIsRefusedAndTheCurrentOwnerKeepsThePartition() {
    PartitionOwnership first =
        store.claimOwnership(List.of(ownership("0", "owner-a", null))).blockFirst(TIMEOUT);
    PartitionOwnership takenOver =
        store
            .claimOwnership(List.of(ownership("0", "owner-b", first.getETag())))
            .blockFirst(TIMEOUT);
    assertThat(takenOver.getOwnerId()).isEqualTo("owner-b");
    assertThat(takenOver.getETag()).isNotEqualTo(first.getETag());

    List<PartitionOwnership> stale =
        store
            .claimOwnership(List.of(ownership("0", "owner-a", first.getETag())))
            .collectList()
            .block(TIMEOUT);
    List<PartitionOwnership> newClaimOfAnOwnedPartition =
        store.claimOwnership(List.of(ownership("0", "owner-c", null))).collectList().block(TIMEOUT);

    assertThat(stale).isEmpty();
    assertThat(newClaimOfAnOwnedPartition).isEmpty();
    assertThat(blobs()).isEqualTo(Map.of(PREFIX + "ownership/0", Map.of("ownerid", "owner-b")));
    assertThat(store.listOwnership(NAMESPACE, HUB, GROUP).collectList().block(TIMEOUT))
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getOwnerId()).isEqualTo("owner-b");
              assertThat(o.getETag()).isEqualTo(takenOver.getETag());
            });
  }

  /**
   * The store does not lowercase: a caller other than {@code EventProcessorClient} that passes
   * {@code $Default} writes blobs that KEDA and the processor (which look under {@code $default})
   * never find. Names are case-sensitive in Blob storage.
   */
  @Test
  void theStoreItselfKeepsTheCaseOfTheNamesItIsGiven() {
    store
        .updateCheckpoint(
            checkpoint("0", 1L, "100")
                .setFullyQualifiedNamespace("IoMT-Test.servicebus.windows.net")
                .setEventHubName("Device-Events")
                .setConsumerGroup("$Default"))
        .block(TIMEOUT);

    assertThat(blobs())
        .containsOnlyKeys("IoMT-Test.servicebus.windows.net/Device-Events/$Default/checkpoint/0");
    assertThat(store.listCheckpoints(NAMESPACE, HUB, GROUP).collectList().block(TIMEOUT)).isEmpty();
  }

  /** Every blob in the container with its metadata, by name. */
  private Map<String, Map<String, String>> blobs() {
    return container
        .listBlobs(
            new ListBlobsOptions().setDetails(new BlobListDetails().setRetrieveMetadata(true)),
            TIMEOUT)
        .stream()
        .collect(Collectors.toMap(BlobItem::getName, b -> Map.copyOf(b.getMetadata())));
  }

  private static PartitionOwnership ownership(String partition, String owner, String etag) {
    return new PartitionOwnership()
        .setFullyQualifiedNamespace(NAMESPACE)
        .setEventHubName(HUB)
        .setConsumerGroup(GROUP)
        .setPartitionId(partition)
        .setOwnerId(owner)
        .setETag(etag);
  }

  private static Checkpoint checkpoint(String partition, long sequenceNumber, String offset) {
    return new Checkpoint()
        .setFullyQualifiedNamespace(NAMESPACE)
        .setEventHubName(HUB)
        .setConsumerGroup(GROUP)
        .setPartitionId(partition)
        .setSequenceNumber(sequenceNumber)
        .setOffsetString(offset);
  }
}
