package io.iomt.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.iomt.core.error.UnauthorizedAccessFhirServiceException;
import io.iomt.fhir.auth.OAuth2ClientCredentials;
import io.iomt.fhir.auth.Secret;
import io.iomt.testkit.MutableClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Token providers: caching, refresh before expiry, and secrets kept out of messages. Azure identity
 * is tested in iomt-azure ({@code AzureIdentityTokenProviderTest}).
 */
class AuthenticationTest {
  private HttpServer tokenEndpoint;
  private final List<String> requests = new ArrayList<>();
  private volatile int status = 200;

  private URI startTokenEndpoint() throws Exception {
    tokenEndpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicInteger issued = new AtomicInteger();
    tokenEndpoint.createContext(
        "/token",
        exchange -> {
          requests.add(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] body =
              (status == 200
                      ? "{\"access_token\":\"token-"
                          + issued.incrementAndGet()
                          + "\",\"expires_in\":3600}"
                      : "{\"error\":\"invalid_client\",\"error_description\":\"bad secret s3cr3t\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    tokenEndpoint.start();
    return URI.create("http://127.0.0.1:" + tokenEndpoint.getAddress().getPort() + "/token");
  }

  @AfterEach
  void stop() {
    if (tokenEndpoint != null) {
      tokenEndpoint.stop(0);
    }
  }

  @Test
  void aSecretNeverPrintsItsValue() {
    Secret secret = Secret.of("s3cr3t");
    assertThat(secret.toString()).isEqualTo("******");
    assertThat(String.valueOf(List.of(secret))).doesNotContain("s3cr3t");
    assertThat(secret.reveal()).isEqualTo("s3cr3t");
  }

  @Test
  void clientCredentialsTokensAreCachedAndRefreshedBeforeTheyExpire() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    OAuth2ClientCredentials provider =
        new OAuth2ClientCredentials(
            startTokenEndpoint(), "connector", Secret.of("s3cr3t"), "https://fhir/.default", clock);
    assertThat(provider.token()).contains("token-1");
    clock.advance(Duration.ofMinutes(58));
    assertThat(provider.token()).contains("token-1");
    clock.advance(Duration.ofSeconds(61));
    assertThat(provider.token()).contains("token-2");
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0))
        .contains("grant_type=client_credentials", "client_id=connector", "client_secret=s3cr3t");
    provider.invalidate();
    assertThat(provider.token()).contains("token-3");
  }

  @Test
  void aRefusedClientIsABlockingErrorThatDoesNotRepeatTheSecret() throws Exception {
    status = 401;
    OAuth2ClientCredentials provider =
        new OAuth2ClientCredentials(
            startTokenEndpoint(), "connector", Secret.of("s3cr3t"), null, Clock.systemUTC());
    assertThatThrownBy(provider::token)
        .isInstanceOfSatisfying(
            UnauthorizedAccessFhirServiceException.class, e -> assertThat(e.isBlocking()).isTrue())
        .hasMessageContaining("refused client 'connector' with HTTP 401 (invalid_client)")
        .hasMessageNotContaining("s3cr3t");
  }
}
