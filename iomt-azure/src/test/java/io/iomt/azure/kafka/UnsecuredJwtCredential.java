package io.iomt.azure.kafka;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.exception.ClientAuthenticationException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;

/**
 * A {@link TokenCredential} that issues unsecured JWTs ({@code alg: none}; claims {@code sub},
 * {@code iat}, {@code exp}, {@code scope} = the requested scopes), as Kafka's unsecured validator
 * on the test broker takes them, and records every request. It can be switched to refuse (throw as
 * azure-identity does for a refused identity) or to issue tokens that are already expired.
 * Thread-safe.
 */
final class UnsecuredJwtCredential implements TokenCredential {

  enum Mode {
    ISSUE,
    REFUSE,
    EXPIRED
  }

  static final String SUBJECT = "iomt-connector-identity";
  static final String REFUSAL = "AADSTS7000215: Invalid client secret provided.";

  private final Clock clock;
  private final List<List<String>> requests = new CopyOnWriteArrayList<>();
  private final List<Instant> issuedExpiries = new CopyOnWriteArrayList<>();
  private final List<String> issuedTokens = new CopyOnWriteArrayList<>();
  private volatile Duration lifetime;
  private volatile Mode mode = Mode.ISSUE;

  UnsecuredJwtCredential(Duration lifetime) {
    this(lifetime, Clock.systemUTC());
  }

  UnsecuredJwtCredential(Duration lifetime, Clock clock) {
    this.lifetime = lifetime;
    this.clock = clock;
  }

  void mode(Mode mode) {
    this.mode = mode;
  }

  void lifetime(Duration lifetime) {
    this.lifetime = lifetime;
  }

  /** The scopes of every request, in order. */
  List<List<String>> requests() {
    return List.copyOf(requests);
  }

  /** The expiry of every token issued, in order. */
  List<Instant> issuedExpiries() {
    return List.copyOf(issuedExpiries);
  }

  List<String> issuedTokens() {
    return List.copyOf(issuedTokens);
  }

  @Override
  public Mono<AccessToken> getToken(TokenRequestContext request) {
    return Mono.fromCallable(() -> getTokenSync(request));
  }

  @Override
  public AccessToken getTokenSync(TokenRequestContext request) {
    requests.add(List.copyOf(request.getScopes()));
    Mode now = mode;
    if (now == Mode.REFUSE) {
      throw new ClientAuthenticationException(REFUSAL, null);
    }
    long issuedAt = clock.instant().getEpochSecond();
    long expiresAt =
        now == Mode.EXPIRED ? issuedAt - 60 : issuedAt + Math.max(1, lifetime.toSeconds());
    String token = jwt(String.join(" ", request.getScopes()), issuedAt, expiresAt);
    issuedTokens.add(token);
    Instant expiry = Instant.ofEpochSecond(expiresAt);
    issuedExpiries.add(expiry);
    return new AccessToken(token, expiry.atOffset(ZoneOffset.UTC));
  }

  static String jwt(String scope, long issuedAt, long expiresAt) {
    String header = "{\"alg\":\"none\"}";
    String claims =
        "{\"sub\":\""
            + SUBJECT
            + "\",\"iat\":"
            + issuedAt
            + ",\"exp\":"
            + expiresAt
            + ",\"scope\":\""
            + scope
            + "\"}";
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
        + ".";
  }
}
