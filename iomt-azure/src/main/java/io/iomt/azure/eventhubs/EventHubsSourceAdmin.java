package io.iomt.azure.eventhubs;

import com.azure.core.amqp.AmqpRetryMode;
import com.azure.core.amqp.AmqpRetryOptions;
import com.azure.messaging.eventhubs.EventHubClientBuilder;
import com.azure.messaging.eventhubs.EventHubProducerAsyncClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.iomt.core.error.CheckpointStoreUnavailableException;
import io.iomt.core.error.EventHubUnavailableException;
import io.iomt.core.error.EventSourceException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Makes, checks and removes what an Event Hubs source needs besides the hub itself, for
 * provisioning: the checkpoint container, a check that the hub answers the source's credentials,
 * and the removal of the source's checkpoint and ownership blobs. The hub and its events are never
 * changed. Each call builds its own clients from the settings and closes them; every call is
 * bounded by the timeout. Thread-safe.
 */
public final class EventHubsSourceAdmin {
  private final EventHubsSourceSettings settings;
  private final Duration timeout;

  /**
   * @param timeout the longest one call may take (each SDK call is tried once within it)
   */
  public EventHubsSourceAdmin(EventHubsSourceSettings settings, Duration timeout) {
    this.settings = settings;
    this.timeout = timeout;
  }

  /**
   * Creates the checkpoint container when it is missing.
   *
   * @throws CheckpointStoreUnavailableException when the storage refuses or cannot be reached
   */
  public void ensureCheckpointContainer() {
    BlobContainerClient container = container();
    try {
      container.createIfNotExistsWithResponse(null, timeout, null);
    } catch (RuntimeException e) {
      throw checkpointFailure(e, container);
    }
  }

  /**
   * Reads the hub's properties with the source's credentials: it exists and lets them in.
   *
   * @throws io.iomt.core.error.UnauthorizedAccessEventHubException when the credentials are refused
   * @throws io.iomt.core.error.EventHubNotFoundException when the hub (or namespace) does not exist
   * @throws EventHubUnavailableException when the namespace does not answer within the timeout
   */
  public void probeHub() {
    EventHubClientBuilder b =
        new EventHubClientBuilder()
            .retryOptions(
                new AmqpRetryOptions()
                    .setMode(AmqpRetryMode.FIXED)
                    .setMaxRetries(0)
                    .setTryTimeout(timeout));
    settings.applyTo(b);
    EventHubProducerAsyncClient client = b.buildAsyncProducerClient();
    try {
      client.getEventHubProperties().block(timeout);
    } catch (RuntimeException e) {
      EventSourceException blocking = EventHubsErrors.blocking(e, describeHub(), "");
      if (blocking != null) {
        throw blocking;
      }
      throw new EventHubUnavailableException(
          "The event hub " + describeHub() + " did not answer: " + firstLine(e), e);
    } finally {
      client.close();
    }
  }

  /**
   * Deletes the checkpoint and ownership blobs of this namespace, hub and consumer group (the SDK's
   * {@code <namespace>/<hub>/<consumer group>/checkpoint/} and {@code /ownership/}); other blobs of
   * the container are left alone, and so is the container. Nothing to delete is fine.
   *
   * @return how many blobs were deleted
   * @throws CheckpointStoreUnavailableException when the storage refuses or cannot be reached
   */
  public int deleteCheckpoints() {
    BlobContainerClient container = container();
    String prefix = blobPrefix();
    int deleted = 0;
    try {
      if (!container.exists()) {
        return 0;
      }
      for (String kind : List.of("checkpoint/", "ownership/")) {
        for (BlobItem blob :
            container.listBlobs(new ListBlobsOptions().setPrefix(prefix + kind), timeout)) {
          try {
            container.getBlobClient(blob.getName()).delete();
            deleted++;
          } catch (BlobStorageException e) {
            if (e.getStatusCode() != 404) {
              throw e;
            }
          }
        }
      }
      return deleted;
    } catch (RuntimeException e) {
      throw checkpointFailure(e, container);
    }
  }

  /** The SDK's blob prefix, lowercase as {@code BlobCheckpointStore} writes it. */
  String blobPrefix() {
    String namespace = settings.fullyQualifiedEventHubNamespace();
    String hub = settings.eventHubName();
    if (settings.auth() instanceof EventHubsSourceSettings.Auth.ConnectionString cs
        && (namespace == null || hub == null)) {
      ConnectionStrings.Parts parts = ConnectionStrings.parse(cs.value().get());
      namespace = namespace == null ? parts.namespace() : namespace;
      hub = hub == null ? parts.entityPath() : hub;
    }
    // The processor keys blobs by the namespace host without a port.
    int port = namespace.lastIndexOf(':');
    if (port > 0) {
      namespace = namespace.substring(0, port);
    }
    return (namespace + "/" + hub + "/" + settings.consumerGroup() + "/").toLowerCase(Locale.ROOT);
  }

  private CheckpointStoreUnavailableException checkpointFailure(
      RuntimeException e, BlobContainerClient container) {
    String name = container.getBlobContainerUrl();
    EventSourceException blocking = EventHubsErrors.blocking(e, describeHub(), name);
    if (blocking instanceof CheckpointStoreUnavailableException unavailable) {
      return unavailable;
    }
    return new CheckpointStoreUnavailableException(
        "The checkpoint container " + name + " cannot be used: " + firstLine(e), e);
  }

  private BlobContainerClient container() {
    BlobContainerClientBuilder b = new BlobContainerClientBuilder();
    if (settings.checkpoints() instanceof EventHubsSourceSettings.Checkpoints.ConnectionString cs) {
      b.connectionString(cs.value().get()).containerName(cs.container());
    } else if (settings.checkpoints() instanceof EventHubsSourceSettings.Checkpoints.Credential c) {
      b.endpoint(c.containerUrl()).credential(c.credential().tokenCredential());
    }
    return b.buildClient();
  }

  private String describeHub() {
    String prefix = blobPrefix();
    return prefix.substring(0, prefix.lastIndexOf('/', prefix.length() - 2));
  }

  private static String firstLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int eol = message.indexOf('\n');
    return eol < 0 ? message : message.substring(0, eol);
  }
}
