package io.iomt.testkit.azure.eventhubs;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the tokens clients present through {@code $cbs} put-token and {@code $management}'s {@code
 * security_token}: Shared Access Signatures signed with one of the namespace's keys, and, when
 * configured, bearer tokens (type {@code jwt}) accepted by a predicate. Access can be revoked as a
 * whole and restored; keys can be rotated. Thread-safe. Keys are never logged.
 */
final class AccessControl {

  static final String SAS_TOKEN_TYPE = "servicebus.windows.net:sastoken";
  static final String JWT_TOKEN_TYPE = "jwt";

  private final Map<String, String> keys = new ConcurrentHashMap<>();
  private final Predicate<String> bearerTokens;
  private final Clock clock;
  private volatile boolean revoked;

  AccessControl(Map<String, String> keys, Predicate<String> bearerTokens, Clock clock) {
    this.keys.putAll(keys);
    this.bearerTokens = bearerTokens;
    this.clock = clock;
  }

  void revoke() {
    revoked = true;
  }

  void restore() {
    revoked = false;
  }

  boolean isRevoked() {
    return revoked;
  }

  void rotate(String keyName, String newKey) {
    keys.put(keyName, newKey);
  }

  String key(String keyName) {
    String key = keys.get(keyName);
    if (key == null) {
      throw new IllegalArgumentException("no SAS key named " + keyName);
    }
    return key;
  }

  /**
   * Checks a token of this type for this audience; {@code requestedExpiry} is the expiry the client
   * states for bearer tokens (null if unknown).
   */
  Authorization check(String type, String token, String audience, Instant requestedExpiry) {
    if (revoked) {
      return new Authorization.Refused(401, "Unauthorized: access to the namespace was revoked.");
    }
    if (token == null || type == null) {
      return new Authorization.Refused(401, "Unauthorized: no token.");
    }
    if (SAS_TOKEN_TYPE.equals(type) || token.startsWith("SharedAccessSignature ")) {
      return checkSas(token, audience);
    }
    if (JWT_TOKEN_TYPE.equals(type) && bearerTokens != null && bearerTokens.test(token)) {
      Instant expiry =
          requestedExpiry == null ? clock.instant().plusSeconds(3600) : requestedExpiry;
      return new Authorization.Granted(EntityPaths.normalize(audience), expiry);
    }
    return new Authorization.Refused(401, "Unauthorized: InvalidIssuer: token is not accepted.");
  }

  private Authorization checkSas(String token, String audience) {
    if (!token.startsWith("SharedAccessSignature ")) {
      return new Authorization.Refused(401, "Unauthorized: malformed SharedAccessSignature.");
    }
    Map<String, String> fields = new HashMap<>();
    for (String pair : token.substring("SharedAccessSignature ".length()).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        fields.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
      }
    }
    String resource = fields.get("sr");
    String signature = fields.get("sig");
    String expiry = fields.get("se");
    String keyName = fields.get("skn");
    if (resource == null || signature == null || expiry == null || keyName == null) {
      return new Authorization.Refused(401, "Unauthorized: malformed SharedAccessSignature.");
    }
    String key = keys.get(keyName);
    if (key == null || !signatureMatches(key, resource + "\n" + expiry, decode(signature))) {
      return new Authorization.Refused(
          401, "InvalidSignature: The token has an invalid signature. TrackingId: test-server");
    }
    Instant expiresAt;
    try {
      expiresAt = Instant.ofEpochSecond(Long.parseLong(expiry));
    } catch (NumberFormatException e) {
      return new Authorization.Refused(401, "Unauthorized: malformed expiry.");
    }
    if (!expiresAt.isAfter(clock.instant())) {
      return new Authorization.Refused(401, "ExpiredToken: The token is expired.");
    }
    String resourcePath = EntityPaths.normalize(decode(resource));
    if (!EntityPaths.covers(resourcePath, audience)) {
      return new Authorization.Refused(
          401, "InvalidAudience: The token's resource does not cover '" + audience + "'.");
    }
    return new Authorization.Granted(EntityPaths.normalize(audience), expiresAt);
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }

  private static boolean signatureMatches(String key, String toSign, String presented) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] expected = mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8));
      byte[] actual;
      try {
        actual = Base64.getDecoder().decode(presented);
      } catch (IllegalArgumentException e) {
        return false;
      }
      return MessageDigest.isEqual(expected, actual);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
