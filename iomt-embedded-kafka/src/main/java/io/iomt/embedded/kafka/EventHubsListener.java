package io.iomt.embedded.kafka;

import java.util.Objects;

/**
 * The broker's optional listener that authenticates like an Event Hubs namespace's Kafka endpoint:
 * SASL PLAIN over plaintext, one user {@code $ConnectionString} whose password is the namespace's
 * connection string. Immutable; {@link #toString()} masks the connection string.
 *
 * @param port the loopback port it listens on
 * @param connectionString the only password it accepts
 */
record EventHubsListener(int port, String connectionString) {

  /** The listener's name in the broker configuration. */
  static final String NAME = "EVENTHUBS";

  /** The user name Event Hubs expects; the password is the connection string. */
  static final String USER = "$ConnectionString";

  EventHubsListener {
    Objects.requireNonNull(connectionString, "connectionString");
    if (connectionString.isBlank()) {
      throw new IllegalArgumentException("the connection string is blank");
    }
  }

  /** The broker-side JAAS configuration of the PLAIN mechanism: one user, this password. */
  String serverJaasConfig() {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required user_"
        + USER
        + "=\""
        + connectionString.replace("\\", "\\\\").replace("\"", "\\\"")
        + "\";";
  }

  @Override
  public String toString() {
    return "EventHubsListener[port=" + port + ", connectionString=****]";
  }
}
