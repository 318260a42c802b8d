package io.iomt.testkit.azure.eventhubs;

import com.azure.core.amqp.AmqpRetryMode;
import com.azure.core.amqp.AmqpRetryOptions;
import com.azure.messaging.eventhubs.EventHubClientBuilder;
import java.time.Duration;

/** The SDK client builders the fixture's tests use: short retries so failures surface quickly. */
final class SdkClients {

  static final AmqpRetryOptions RETRY =
      new AmqpRetryOptions()
          .setMode(AmqpRetryMode.FIXED)
          .setMaxRetries(2)
          .setDelay(Duration.ofMillis(200))
          .setTryTimeout(Duration.ofSeconds(5));

  private SdkClients() {}

  static EventHubClientBuilder builder(String connectionString) {
    return new EventHubClientBuilder().connectionString(connectionString).retryOptions(RETRY);
  }
}
