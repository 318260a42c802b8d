package io.iomt.azure.eventhubs;

import com.azure.core.amqp.AmqpRetryOptions;
import com.azure.messaging.eventhubs.CheckpointStore;
import com.azure.messaging.eventhubs.EventProcessorClient;
import com.azure.messaging.eventhubs.EventProcessorClientBuilder;
import com.azure.messaging.eventhubs.LoadBalancingStrategy;
import com.azure.messaging.eventhubs.checkpointstore.blob.BlobCheckpointStore;
import com.azure.messaging.eventhubs.models.EventPosition;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlobStorageException;
import io.iomt.core.error.EventSourceException;
import java.time.Clock;
import java.time.Duration;

/**
 * Opens {@link EventHubsEventSource}s on the Azure SDK: an {@code EventProcessorClient} with the
 * Blob checkpoint store (the SDK's layout: {@code <namespace>/<hub>/<consumer
 * group>/ownership/<partition>} and {@code .../checkpoint/<partition>} blobs with {@code ownerid},
 * {@code sequencenumber} and {@code offset} metadata, all lowercase, which KEDA's {@code
 * azure-eventhub} scaler reads with {@code checkpointStrategy: blobMetadata}). Each {@link #open()}
 * builds new clients from the settings, reading connection strings again, so that a stage restarted
 * after refused credentials uses the rotated ones. Thread-safe.
 */
public final class EventHubsSources {
  private final EventHubsSourceSettings settings;
  private final PartitionMetrics metrics;
  private final Clock clock;
  private final AmqpRetryOptions retry;

  public EventHubsSources(
      EventHubsSourceSettings settings,
      PartitionMetrics metrics,
      Clock clock,
      AmqpRetryOptions retry) {
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
    this.retry = retry;
  }

  /** The SDK's default retries: 3 tries, exponential from 0.8 s, a minute per try. */
  public EventHubsSources(EventHubsSourceSettings settings, PartitionMetrics metrics, Clock clock) {
    this(settings, metrics, clock, new AmqpRetryOptions());
  }

  /** A new source with new clients; the checkpoint container is created when missing. */
  public EventHubsEventSource open() {
    BlobContainerAsyncClient container = container();
    String containerName = container.getBlobContainerUrl();
    try {
      container.createIfNotExists().block(Duration.ofSeconds(30));
    } catch (RuntimeException e) {
      EventSourceException blocking = EventHubsErrors.blocking(e, describeHub(), containerName);
      if (blocking != null) {
        throw blocking;
      }
      if (!(e instanceof BlobStorageException)) {
        throw e;
      }
    }
    return open(new BlobCheckpointStore(container), containerName);
  }

  /**
   * A new source keeping checkpoints and ownership in {@code store} instead of the configured Blob
   * container (benchmarks, tests of the processor alone).
   *
   * @param storeName how messages name the store
   */
  public EventHubsEventSource open(CheckpointStore store, String storeName) {
    return new EventHubsEventSource(
        describeHub(),
        storeName,
        store,
        callbacks -> processor(store, callbacks),
        settings.unavailableAfter(),
        metrics,
        clock);
  }

  private EventHubsEventSource.Processor processor(
      CheckpointStore store, EventHubsEventSource callbacks) {
    EventProcessorClientBuilder b =
        new EventProcessorClientBuilder()
            .consumerGroup(settings.consumerGroup())
            .checkpointStore(store)
            .retryOptions(retry)
            .prefetchCount(settings.prefetch())
            .trackLastEnqueuedEventProperties(true)
            .loadBalancingUpdateInterval(settings.loadBalancingInterval())
            // Greedy: claim every unowned or expired partition in one balancing round (the
            // balanced strategy takes one per round), so a lone replica starts on all partitions
            // at once and a dead replica's partitions move together once its claims expire.
            .loadBalancingStrategy(LoadBalancingStrategy.GREEDY)
            .partitionOwnershipExpirationInterval(settings.ownershipExpiration())
            .initialPartitionEventPosition(partition -> startPosition())
            .processPartitionInitialization(callbacks::initialize)
            .processEventBatch(callbacks::batch, settings.maxBatchSize(), Duration.ofSeconds(1))
            .processPartitionClose(callbacks::close)
            .processError(callbacks::error);
    settings.applyTo(b);
    EventProcessorClient client = b.buildEventProcessorClient();
    return new EventHubsEventSource.Processor() {
      @Override
      public void start() {
        client.start();
      }

      @Override
      public void stop() {
        client.stop(Duration.ofSeconds(30));
      }
    };
  }

  private EventPosition startPosition() {
    EventHubsSourceSettings.StartPosition p = settings.startPosition();
    if (p instanceof EventHubsSourceSettings.StartPosition.Latest) {
      return EventPosition.latest();
    }
    if (p instanceof EventHubsSourceSettings.StartPosition.EnqueuedTime t) {
      return EventPosition.fromEnqueuedTime(t.from());
    }
    return EventPosition.earliest();
  }

  private BlobContainerAsyncClient container() {
    BlobContainerClientBuilder b = new BlobContainerClientBuilder();
    if (settings.checkpoints() instanceof EventHubsSourceSettings.Checkpoints.ConnectionString cs) {
      b.connectionString(cs.value().get()).containerName(cs.container());
    } else if (settings.checkpoints() instanceof EventHubsSourceSettings.Checkpoints.Credential c) {
      b.endpoint(c.containerUrl()).credential(c.credential().tokenCredential());
    }
    return b.buildAsyncClient();
  }

  /** {@code namespace/hub} for messages, from the settings or the connection string. */
  private String describeHub() {
    String ns = settings.fullyQualifiedEventHubNamespace();
    String hub = settings.eventHubName();
    if (settings.auth() instanceof EventHubsSourceSettings.Auth.ConnectionString cs
        && (ns == null || hub == null)) {
      ConnectionStrings.Parts parts = ConnectionStrings.parse(cs.value().get());
      ns = ns == null ? parts.namespace() : ns;
      hub = hub == null ? parts.entityPath() : hub;
    }
    return ns + "/" + hub;
  }
}
