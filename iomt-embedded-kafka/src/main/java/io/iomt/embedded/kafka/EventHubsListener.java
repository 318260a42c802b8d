package io.iomt.embedded.kafka;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The broker's optional listener that authenticates like an Event Hubs namespace's Kafka endpoint,
 * over plaintext: SASL PLAIN with one user {@code $ConnectionString} whose password is the
 * namespace's connection string, and SASL OAUTHBEARER (Azure AD) with Kafka's built-in unsecured
 * JWT validator, which takes tokens ({@code alg: none}) whose {@code scope} claim holds {@code
 * https://<namespace>/.default}, the scope Event Hubs asks Azure AD tokens for. The namespace is
 * the host of the connection string's {@code Endpoint=sb://<namespace>/}. Immutable; {@link
 * #toString()} masks the connection string.
 *
 * @param port the loopback port it listens on
 * @param connectionString the only password it accepts
 */
record EventHubsListener(int port, String connectionString) {

  /** The listener's name in the broker configuration. */
  static final String NAME = "EVENTHUBS";

  /** The user name Event Hubs expects; the password is the connection string. */
  static final String USER = "$ConnectionString";

  private static final Pattern ENDPOINT =
      Pattern.compile("(?i)(?:^|;)\\s*Endpoint\\s*=\\s*sb://([^/;:]+)[^;]*(?:;|$)");

  EventHubsListener {
    Objects.requireNonNull(connectionString, "connectionString");
    if (connectionString.isBlank()) {
      throw new IllegalArgumentException("the connection string is blank");
    }
  }

  /**
   * The namespace the connection string names, e.g. {@code iomt-test.servicebus.windows.net}.
   *
   * @throws IllegalArgumentException if it has no {@code Endpoint=sb://<namespace>/} part
   */
  String namespace() {
    Matcher m = ENDPOINT.matcher(connectionString);
    if (!m.find()) {
      throw new IllegalArgumentException(
          "the connection string has no Endpoint=sb://<namespace>/ part");
    }
    return m.group(1);
  }

  /** The scope Azure AD tokens for this namespace carry: {@code https://<namespace>/.default}. */
  String oauthScope() {
    return "https://" + namespace() + "/.default";
  }

  /** The broker-side JAAS configuration of the PLAIN mechanism: one user, this password. */
  String serverJaasConfig() {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required user_"
        + USER
        + "=\""
        + quote(connectionString)
        + "\";";
  }

  /**
   * The broker-side JAAS configuration of the OAUTHBEARER mechanism: the unsecured validator
   * (Kafka's default when no server callback handler is configured) requires this namespace's scope
   * and reads the principal from {@code sub}; the broker's own login token (which it never sends on
   * this listener) has subject {@code broker}.
   */
  String serverOAuthBearerJaasConfig() {
    return "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
        + " unsecuredLoginStringClaim_sub=\"broker\""
        + " unsecuredValidatorPrincipalClaimName=\"sub\""
        + " unsecuredValidatorScopeClaimName=\"scope\""
        + " unsecuredValidatorRequiredScope=\""
        + quote(oauthScope())
        + "\";";
  }

  private static String quote(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  @Override
  public String toString() {
    return "EventHubsListener[port=" + port + ", connectionString=****]";
  }
}
