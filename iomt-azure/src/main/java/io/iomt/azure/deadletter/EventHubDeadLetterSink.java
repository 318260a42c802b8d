package io.iomt.azure.deadletter;

import com.azure.core.amqp.AmqpRetryOptions;
import com.azure.messaging.eventhubs.EventDataBatch;
import com.azure.messaging.eventhubs.EventHubClientBuilder;
import com.azure.messaging.eventhubs.EventHubProducerClient;
import com.azure.messaging.eventhubs.models.CreateBatchOptions;
import io.iomt.azure.eventhubs.ConnectionStrings;
import io.iomt.azure.eventhubs.EventHubsSourceSettings;
import io.iomt.pipeline.deadletter.DeadLetter;
import io.iomt.pipeline.deadletter.DeadLetterSink;
import io.iomt.pipeline.deadletter.DeadLetterSinkException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dead letters to an Azure Event Hub through the SDK's {@link EventHubProducerClient}, one event
 * each ({@link DeadLetterEvents}). Dead letters of one key are sent in order in batches ({@code
 * createBatch} with the key as partition key, {@code tryAdd}); {@link #send} returns once the hub
 * acknowledged every batch. Any failure after the client's retries is a {@link
 * DeadLetterSinkException} (unauthorized, not found, unavailable); a batch that failed may have
 * arrived anyway, so the hub can see a dead letter twice. Not thread-safe: one stage's thread
 * opens, sends and closes it.
 */
public final class EventHubDeadLetterSink implements DeadLetterSink {
  /** Per send: 30 s per try, 2 retries, so a stage that stops waits for at most about 2 min. */
  public static final AmqpRetryOptions RETRY =
      new AmqpRetryOptions()
          .setTryTimeout(Duration.ofSeconds(30))
          .setMaxRetries(2)
          .setDelay(Duration.ofSeconds(1))
          .setMaxDelay(Duration.ofSeconds(10));

  /** How often an event that does not fit an empty batch is cut further before giving up. */
  private static final int MAX_CUTS = 4;

  private final EventHubDeadLetterSettings settings;
  private final AmqpRetryOptions retry;
  private final String hub;
  private EventHubProducerClient producer;

  public EventHubDeadLetterSink(EventHubDeadLetterSettings settings, AmqpRetryOptions retry) {
    this.settings = settings;
    this.retry = retry;
    this.hub = describe(settings);
  }

  public EventHubDeadLetterSink(EventHubDeadLetterSettings settings) {
    this(settings, RETRY);
  }

  /** Builds the producer (reading the connection string again) and opens its send link. */
  @Override
  public void open() {
    EventHubProducerClient client = null;
    try {
      client = producer();
      client.createBatch(); // opens the connection and the link: credentials and hub checked
    } catch (RuntimeException e) {
      closeQuietly(client);
      throw DeadLetterHubErrors.of(e, hub);
    }
    producer = client; // only a producer whose link opened is used
  }

  @Override
  public void send(List<DeadLetter> deadLetters) {
    if (producer == null) {
      throw new IllegalStateException("send before open");
    }
    Map<String, List<DeadLetter>> byKey = new LinkedHashMap<>();
    for (DeadLetter d : deadLetters) {
      byKey.computeIfAbsent(DeadLetterEvents.partitionKey(d), k -> new ArrayList<>()).add(d);
    }
    try {
      for (Map.Entry<String, List<DeadLetter>> e : byKey.entrySet()) {
        sendInOrder(e.getKey(), e.getValue());
      }
    } catch (DeadLetterSinkException e) {
      throw e;
    } catch (RuntimeException e) {
      throw DeadLetterHubErrors.of(e, hub);
    }
  }

  /** A key's dead letters, in as many batches as they need, each sent before the next one. */
  private void sendInOrder(String partitionKey, List<DeadLetter> letters) {
    CreateBatchOptions options = new CreateBatchOptions();
    if (partitionKey != null) {
      options.setPartitionKey(partitionKey);
    }
    EventDataBatch batch = producer.createBatch(options);
    for (DeadLetter letter : letters) {
      DeadLetterEvents.HubEvent event = DeadLetterEvents.of(letter, batch.getMaxSizeInBytes());
      if (batch.tryAdd(event.event())) {
        continue;
      }
      if (batch.getCount() > 0) {
        producer.send(batch);
        batch = producer.createBatch(options);
        if (batch.tryAdd(event.event())) {
          continue;
        }
      }
      addCutFurther(batch, letter);
    }
    if (batch.getCount() > 0) {
      producer.send(batch);
    }
  }

  /** The framing of an event took more than estimated: cut its body further until it fits. */
  private void addCutFurther(EventDataBatch empty, DeadLetter letter) {
    int max = empty.getMaxSizeInBytes();
    for (int i = 0; i < MAX_CUTS; i++) {
      max -= empty.getMaxSizeInBytes() / 8;
      if (empty.tryAdd(DeadLetterEvents.of(letter, max).event())) {
        return;
      }
    }
    throw new IllegalStateException(
        "The dead letter " + letter.where() + " does not fit an event of " + hub + " even cut");
  }

  private EventHubProducerClient producer() {
    EventHubClientBuilder b = new EventHubClientBuilder().retryOptions(retry);
    if (settings.auth() instanceof EventHubsSourceSettings.Auth.ConnectionString cs) {
      if (settings.eventHubName() == null) {
        b.connectionString(cs.value().get());
      } else {
        b.connectionString(cs.value().get(), settings.eventHubName());
      }
    } else if (settings.auth() instanceof EventHubsSourceSettings.Auth.Credential c) {
      b.credential(
          settings.fullyQualifiedEventHubNamespace(),
          settings.eventHubName(),
          c.credential().tokenCredential());
    }
    return b.buildProducerClient();
  }

  @Override
  public void close() {
    closeQuietly(producer);
    producer = null;
  }

  private static void closeQuietly(EventHubProducerClient client) {
    if (client != null) {
      try {
        client.close();
      } catch (RuntimeException e) {
        // Closing a connection that already failed: nothing to keep.
      }
    }
  }

  /** {@code namespace/hub} for messages, from the settings or the connection string. */
  private static String describe(EventHubDeadLetterSettings s) {
    String ns = s.fullyQualifiedEventHubNamespace();
    String hub = s.eventHubName();
    if (s.auth() instanceof EventHubsSourceSettings.Auth.ConnectionString cs
        && (ns == null || hub == null)) {
      try {
        ConnectionStrings.Parts parts = ConnectionStrings.parse(cs.value().get());
        ns = ns == null ? parts.namespace() : ns;
        hub = hub == null ? parts.entityPath() : hub;
      } catch (IllegalArgumentException e) {
        // Checked at start-up; the name is only for messages.
      }
    }
    return ns + "/" + hub;
  }
}
