package io.iomt.azure.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.amqp.AmqpRetryOptions;
import io.iomt.azure.eventhubs.EventHubsSourceSettings;
import io.iomt.pipeline.deadletter.DeadLetterSinkException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real SDK producer where nothing listens: opening fails as the sink's blocking error naming
 * the hub and never the key. (Sending to a listening AMQP endpoint is for an IT against the test
 * kit's Event Hubs server.)
 */
class EventHubDeadLetterSinkTest {
  private static final String KEY = "a2V5LXRoYXQtbXVzdC1uZXZlci1hcHBlYXI=";

  /** A loopback port nothing listens on (bound once, then released). */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void aHubThatCannotBeReachedIsUnavailableWhenOpeningAndTheKeyIsNeverShown() throws Exception {
    String cs =
        "Endpoint=sb://127.0.0.1:"
            + closedPort()
            + ";SharedAccessKeyName=send;SharedAccessKey="
            + KEY
            + ";EntityPath=dead-letters;UseDevelopmentEmulator=true";
    EventHubDeadLetterSettings settings =
        new EventHubDeadLetterSettings(
            null, null, new EventHubsSourceSettings.Auth.ConnectionString(() -> cs));
    AmqpRetryOptions quick =
        new AmqpRetryOptions().setMaxRetries(0).setTryTimeout(Duration.ofSeconds(5));

    try (EventHubDeadLetterSink sink = new EventHubDeadLetterSink(settings, quick)) {
      assertThatThrownBy(sink::open)
          .isInstanceOfSatisfying(
              DeadLetterSinkException.class,
              e -> {
                assertThat(e.errorName()).isEqualTo("DeadLetterSinkUnavailableException");
                assertThat(e.isBlocking()).isTrue();
              })
          .hasMessageContaining("127.0.0.1:")
          .hasMessageContaining("/dead-letters")
          .hasMessageNotContaining(KEY);
      assertThatThrownBy(() -> sink.send(List.of()))
          .as("a sink that did not open sends nothing")
          .isInstanceOf(IllegalStateException.class);
    }
  }
}
