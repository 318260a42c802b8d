package io.iomt.azure.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.Set;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;

/**
 * An Azure AD access token as Kafka's OAUTHBEARER login holds it. The lifetime is the credential's
 * expiry; the principal and start time are read from the JWT's claims ({@code oid}, else {@code
 * sub}; {@code iat}) when the token is a JWT, for Kafka's log lines only (the broker decides who
 * the client is). {@link #toString()} never shows the token. Immutable.
 */
record AzureOAuthBearerToken(
    String value, Set<String> scope, long lifetimeMs, String principalName, Long startTimeMs)
    implements OAuthBearerToken {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Used when the token is not a JWT or names nobody. */
  static final String UNKNOWN_PRINCIPAL = "unknown";

  static AzureOAuthBearerToken of(String token, long expiresAtMs, String scope) {
    JsonNode claims = claims(token);
    String principal = text(claims, "oid");
    if (principal == null) {
      principal = text(claims, "sub");
    }
    JsonNode iat = claims == null ? null : claims.get("iat");
    Long start = iat != null && iat.isNumber() ? (long) (iat.asDouble() * 1000) : null;
    return new AzureOAuthBearerToken(
        token,
        Set.of(scope),
        expiresAtMs,
        principal == null ? UNKNOWN_PRINCIPAL : principal,
        start);
  }

  private static JsonNode claims(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
      return node != null && node.isObject() ? node : null;
    } catch (IllegalArgumentException | IOException e) {
      return null;
    }
  }

  private static String text(JsonNode claims, String name) {
    JsonNode value = claims == null ? null : claims.get(name);
    return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
  }

  @Override
  public String toString() {
    return "AzureOAuthBearerToken[principal="
        + principalName
        + ", scope="
        + scope
        + ", lifetimeMs="
        + lifetimeMs
        + ", value=****]";
  }
}
