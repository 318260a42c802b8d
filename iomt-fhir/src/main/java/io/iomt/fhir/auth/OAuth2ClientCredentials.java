package io.iomt.fhir.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iomt.core.error.UnauthorizedAccessFhirServiceException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * OAuth2 client-credentials grant against a token endpoint (RFC 6749 §4.4). The token is cached and
 * refreshed {@code refreshBefore} ahead of its {@code expires_in}. Thread-safe.
 */
public final class OAuth2ClientCredentials implements TokenProvider {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI tokenEndpoint;
  private final String clientId;
  private final Secret clientSecret;
  private final String scope;
  private final HttpClient http;
  private final Clock clock;
  private final Duration refreshBefore;
  private String token;
  private Instant refreshAt = Instant.MIN;

  public OAuth2ClientCredentials(
      URI tokenEndpoint, String clientId, Secret clientSecret, String scope, Clock clock) {
    this.tokenEndpoint = tokenEndpoint;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.scope = scope;
    this.clock = clock;
    this.refreshBefore = Duration.ofSeconds(60);
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @Override
  public synchronized Optional<String> token() {
    if (token == null || !clock.instant().isBefore(refreshAt)) {
      fetch();
    }
    return Optional.of(token);
  }

  @Override
  public synchronized void invalidate() {
    token = null;
  }

  private void fetch() {
    String form =
        "grant_type=client_credentials&client_id="
            + encode(clientId)
            + "&client_secret="
            + encode(clientSecret.reveal())
            + (scope == null ? "" : "&scope=" + encode(scope));
    HttpRequest request =
        HttpRequest.newBuilder(tokenEndpoint)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new UnauthorizedAccessFhirServiceException(
            "The token endpoint "
                + tokenEndpoint
                + " refused client '"
                + clientId
                + "' with HTTP "
                + response.statusCode()
                + errorOf(response.body()));
      }
      JsonNode body = JSON.readTree(response.body());
      String accessToken = body.path("access_token").asText(null);
      if (accessToken == null) {
        throw new UnauthorizedAccessFhirServiceException(
            "The token endpoint " + tokenEndpoint + " answered without an access_token");
      }
      long expiresIn = body.path("expires_in").asLong(300);
      token = accessToken;
      Duration lifetime = Duration.ofSeconds(expiresIn);
      Duration early =
          lifetime.compareTo(refreshBefore.multipliedBy(2)) > 0
              ? refreshBefore
              : lifetime.dividedBy(2);
      refreshAt = clock.instant().plus(lifetime).minus(early);
    } catch (IOException e) {
      throw new UnauthorizedAccessFhirServiceException(
          "Cannot reach the token endpoint " + tokenEndpoint + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnauthorizedAccessFhirServiceException("Interrupted while fetching a token");
    }
  }

  /** The OAuth2 error code only: the body may echo request parameters, so never print it whole. */
  private static String errorOf(String body) {
    try {
      String error = JSON.readTree(body).path("error").asText("");
      return error.isEmpty() ? "" : " (" + error + ")";
    } catch (IOException e) {
      return "";
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
