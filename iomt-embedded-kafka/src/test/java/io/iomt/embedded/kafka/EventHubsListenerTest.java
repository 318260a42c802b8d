package io.iomt.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EventHubsListenerTest {

  @Test
  void itsTextNeverShowsTheConnectionString() {
    EventHubsListener listener = new EventHubsListener(9093, "Endpoint=sb://ns/;SharedAccessKey=k");

    assertThat(listener.toString()).doesNotContain("SharedAccessKey").contains("****");
  }

  @Test
  void theServerJaasConfigQuotesTheConnectionStringForUserConnectionString() {
    EventHubsListener listener = new EventHubsListener(9093, "Key=a\"b\\c;");

    assertThat(listener.serverJaasConfig())
        .isEqualTo(
            "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " user_$ConnectionString=\"Key=a\\\"b\\\\c;\";");
  }

  @Test
  void aBlankConnectionStringIsRejected() {
    assertThatThrownBy(() -> new EventHubsListener(9093, " "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
