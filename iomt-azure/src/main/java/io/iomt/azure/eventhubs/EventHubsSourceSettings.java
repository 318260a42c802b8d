package io.iomt.azure.eventhubs;

import com.azure.messaging.eventhubs.EventHubClientBuilder;
import com.azure.messaging.eventhubs.EventProcessorClientBuilder;
import io.iomt.azure.AzureCredential;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What an Event Hubs (or IoT Hub built-in endpoint) source reads and how, with the names MedTech
 * uses for its ingestion endpoint.
 *
 * @param fullyQualifiedEventHubNamespace e.g. {@code contoso.servicebus.windows.net}; with a
 *     connection string, the one in its {@code Endpoint} (may be null then)
 * @param eventHubName the hub; with a connection string that has {@code EntityPath}, may be null
 * @param consumerGroup the hub's consumer group ({@code $Default} unless set)
 * @param auth how to authenticate to the hub
 * @param checkpoints where checkpoints and partition ownership are kept
 * @param startPosition where a partition without a checkpoint starts
 * @param ownershipExpiration how long a replica's claim on a partition lasts without renewal: after
 *     a replica dies, others take its partitions this long after its last renewal
 * @param loadBalancingInterval how often a replica renews its claims and balances partitions
 * @param maxBatchSize most events handed to the normalize stage per partition at once
 * @param prefetch events the client fetches ahead per partition
 * @param unavailableAfter how long transient failures (no connection, timeouts) may last before the
 *     source reports the hub unavailable and the stage is blocked
 */
public record EventHubsSourceSettings(
    String fullyQualifiedEventHubNamespace,
    String eventHubName,
    String consumerGroup,
    Auth auth,
    Checkpoints checkpoints,
    StartPosition startPosition,
    Duration ownershipExpiration,
    Duration loadBalancingInterval,
    int maxBatchSize,
    int prefetch,
    Duration unavailableAfter) {

  public EventHubsSourceSettings {
    Objects.requireNonNull(consumerGroup, "consumerGroup");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(checkpoints, "checkpoints");
    Objects.requireNonNull(startPosition, "startPosition");
    if (auth instanceof Auth.Credential
        && (fullyQualifiedEventHubNamespace == null || eventHubName == null)) {
      throw new IllegalArgumentException(
          "an Azure AD credential needs the namespace and the hub name");
    }
  }

  /** How the source authenticates to the hub. */
  /** Sets the hub and how to authenticate on a client builder (producers, admin reads). */
  public EventHubClientBuilder applyTo(EventHubClientBuilder b) {
    if (auth instanceof Auth.ConnectionString cs) {
      return eventHubName == null
          ? b.connectionString(cs.value().get())
          : b.connectionString(cs.value().get(), eventHubName);
    }
    Auth.Credential c = (Auth.Credential) auth;
    return b.credential(
        fullyQualifiedEventHubNamespace, eventHubName, c.credential().tokenCredential());
  }

  /** Sets the hub and how to authenticate on a processor builder. */
  public EventProcessorClientBuilder applyTo(EventProcessorClientBuilder b) {
    if (auth instanceof Auth.ConnectionString cs) {
      return eventHubName == null
          ? b.connectionString(cs.value().get())
          : b.connectionString(cs.value().get(), eventHubName);
    }
    Auth.Credential c = (Auth.Credential) auth;
    return b.credential(
        fullyQualifiedEventHubNamespace, eventHubName, c.credential().tokenCredential());
  }

  public sealed interface Auth {
    /**
     * A SAS connection string as the portal shows it (a namespace's or hub's shared access policy,
     * or an IoT Hub's "Event Hub-compatible endpoint"). Read through a supplier at each start of
     * the stage, so that a rotated secret (e.g. a Key Vault reference) is picked up.
     */
    record ConnectionString(Supplier<String> value) implements Auth {
      @Override
      public String toString() {
        return "ConnectionString[***]";
      }
    }

    /** Microsoft Entra ID through azure-identity (managed identity, workload identity, ...). */
    record Credential(AzureCredential credential) implements Auth {}
  }

  /** Where checkpoints and ownership live: a Blob container. */
  public sealed interface Checkpoints {
    /** A storage account connection string (e.g. Azurite's) and the container name. */
    record ConnectionString(Supplier<String> value, String container) implements Checkpoints {
      @Override
      public String toString() {
        return "ConnectionString[***, " + container + "]";
      }
    }

    /**
     * The container's URL ({@code https://account.blob.core.windows.net/checkpoints}) and an
     * identity with "Storage Blob Data Contributor" on it.
     */
    record Credential(String containerUrl, AzureCredential credential) implements Checkpoints {}
  }

  /** Where a partition that has no checkpoint yet starts. */
  public sealed interface StartPosition {
    /** The oldest event the hub still retains: nothing already sent is skipped. */
    record Earliest() implements StartPosition {}

    /** Only events enqueued after the partition was first claimed. */
    record Latest() implements StartPosition {}

    /** Events enqueued at or after an instant. */
    record EnqueuedTime(Instant from) implements StartPosition {}
  }
}
