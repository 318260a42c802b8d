package io.iomt.azure.kafka;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.auth.SaslExtensions;
import org.apache.kafka.common.security.auth.SaslExtensionsCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;

/**
 * Kafka's login callback handler ({@code sasl.login.callback.handler.class}) for Event Hubs with
 * Azure AD: answers {@link OAuthBearerTokenCallback} with a token from the {@link TokenCredential}
 * of the {@link EventHubsOAuthBearer} registration that the JAAS option {@value
 * EventHubsOAuthBearer#CREDENTIAL_ID_OPTION} names, for the scope {@code
 * https://<namespace>/.default}, and {@link SaslExtensionsCallback} with no extensions. Use it
 * through {@link EventHubsOAuthBearer#clientProperties()}.
 *
 * <p>The token's lifetime is the credential's expiry, so Kafka's login refreshes it before then
 * ({@code sasl.login.refresh.*}). When the credential throws (a refused identity, an unreachable
 * Azure AD, no identity available), returns nothing or returns an expired token, the callback
 * carries an error whose description names the namespace and the cause; Kafka's login turns it into
 * a {@code LoginException} with that description (a client being built fails; the refresh thread
 * retries). Neither the token nor anything else from the credential's answer but the exception's
 * class and message appears in it.
 *
 * <p><b>Lifecycle and thread-safety.</b> Kafka builds it with the no-argument constructor, calls
 * {@link #configure} once, then {@link #handle} from its login and refresh threads; after {@link
 * #configure} it holds only immutable state, and the credential it calls must be thread-safe (the
 * azure-identity ones are).
 */
public final class EventHubsTokenCallbackHandler implements AuthenticateCallbackHandler {

  private static final int MAX_CAUSE_LENGTH = 300;

  private final Clock clock;
  private volatile EventHubsOAuthBearer registration;

  /** Used by Kafka. */
  public EventHubsTokenCallbackHandler() {
    this(Clock.systemUTC());
  }

  /** With the clock that token expiry is compared with (tests). */
  EventHubsTokenCallbackHandler(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Finds the registration the JAAS configuration names.
   *
   * @throws IllegalArgumentException if the mechanism is not OAUTHBEARER, the JAAS configuration
   *     has not exactly one entry, or names no registration or one that is closed
   */
  @Override
  public void configure(
      Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
    if (!OAuthBearerLoginModule.OAUTHBEARER_MECHANISM.equals(saslMechanism)) {
      throw new IllegalArgumentException(
          "sasl.mechanism must be OAUTHBEARER for this handler, not " + saslMechanism);
    }
    if (jaasConfigEntries == null || jaasConfigEntries.size() != 1) {
      throw new IllegalArgumentException(
          "sasl.jaas.config must have exactly one OAuthBearerLoginModule entry");
    }
    Object id =
        jaasConfigEntries.get(0).getOptions().get(EventHubsOAuthBearer.CREDENTIAL_ID_OPTION);
    if (id == null) {
      throw new IllegalArgumentException(
          "sasl.jaas.config has no "
              + EventHubsOAuthBearer.CREDENTIAL_ID_OPTION
              + " option: build the client properties with EventHubsOAuthBearer");
    }
    registration =
        EventHubsOAuthBearer.lookup(id.toString())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no Azure credential is registered for Event Hubs under "
                            + EventHubsOAuthBearer.CREDENTIAL_ID_OPTION
                            + "="
                            + id
                            + " (its EventHubsOAuthBearer was closed, or belongs to another"
                            + " process)"));
  }

  @Override
  public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
    EventHubsOAuthBearer r = registration;
    if (r == null) {
      throw new IllegalStateException("configure() was not called");
    }
    for (Callback callback : callbacks) {
      if (callback instanceof OAuthBearerTokenCallback tokenCallback) {
        answer(tokenCallback, r);
      } else if (callback instanceof SaslExtensionsCallback extensions) {
        extensions.extensions(SaslExtensions.empty());
      } else {
        throw new UnsupportedCallbackException(callback);
      }
    }
  }

  private void answer(OAuthBearerTokenCallback callback, EventHubsOAuthBearer r) {
    TokenRequestContext context = new TokenRequestContext().addScopes(r.scope());
    AccessToken token;
    try {
      token = r.credential().getTokenSync(context);
    } catch (RuntimeException e) {
      callback.error(
          "invalid_client",
          "Azure AD gave no token for Event Hubs namespace "
              + r.namespace()
              + " (scope "
              + r.scope()
              + "): "
              + describe(e),
          null);
      return;
    }
    if (token == null || token.getToken() == null || token.getToken().isBlank()) {
      callback.error(
          "invalid_client",
          "Azure AD gave no token for Event Hubs namespace "
              + r.namespace()
              + " (scope "
              + r.scope()
              + "): the credential returned none",
          null);
      return;
    }
    long expiresAtMs = token.getExpiresAt().toInstant().toEpochMilli();
    if (expiresAtMs <= clock.millis()) {
      callback.error(
          "invalid_token",
          "Azure AD gave an expired token for Event Hubs namespace "
              + r.namespace()
              + " (scope "
              + r.scope()
              + ", expired at "
              + token.getExpiresAt().toInstant()
              + ")",
          null);
      return;
    }
    callback.token(AzureOAuthBearerToken.of(token.getToken(), expiresAtMs, r.scope()));
  }

  private static String describe(RuntimeException e) {
    String message = e.getMessage() == null ? "" : e.getMessage().strip();
    int newline = message.indexOf('\n');
    if (newline >= 0) {
      message = message.substring(0, newline).strip();
    }
    if (message.length() > MAX_CAUSE_LENGTH) {
      message = message.substring(0, MAX_CAUSE_LENGTH) + "...";
    }
    return message.isEmpty()
        ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + message;
  }

  /** Holds nothing to release. */
  @Override
  public void close() {}
}
