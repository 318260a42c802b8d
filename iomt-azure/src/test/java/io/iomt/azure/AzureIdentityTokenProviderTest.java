package io.iomt.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import io.iomt.core.error.UnauthorizedAccessFhirServiceException;
import io.iomt.testkit.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Azure identity tokens against fakes of the SDK's {@link TokenCredential} (no Azure endpoint runs
 * here). Moved from iomt-fhir's AuthenticationTest with the provider, assertions unchanged.
 */
class AzureIdentityTokenProviderTest {

  @Test
  void azureIdentityTokensAreCachedUntilTwoMinutesBeforeExpiry() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    AtomicInteger calls = new AtomicInteger();
    List<String> scopes = new ArrayList<>();
    TokenCredential credential =
        request -> {
          scopes.addAll(request.getScopes());
          return Mono.just(
              new AccessToken(
                  "aad-" + calls.incrementAndGet(),
                  OffsetDateTime.ofInstant(
                      clock.instant().plus(Duration.ofHours(1)), ZoneOffset.UTC)));
        };
    AzureIdentityTokenProvider provider =
        new AzureIdentityTokenProvider(
            credential, "https://ws-fhir.fhir.azurehealthcareapis.com/", clock);
    assertThat(provider.token()).contains("aad-1");
    clock.advance(Duration.ofMinutes(57));
    assertThat(provider.token()).contains("aad-1");
    clock.advance(Duration.ofMinutes(2));
    assertThat(provider.token()).contains("aad-2");
    assertThat(scopes).containsOnly("https://ws-fhir.fhir.azurehealthcareapis.com/.default");
  }

  @Test
  void anAzureIdentityFailureIsABlockingUnauthorizedError() {
    TokenCredential failing =
        request -> Mono.error(new IllegalStateException("no managed identity"));
    AzureIdentityTokenProvider provider =
        new AzureIdentityTokenProvider(failing, "https://fhir.example", Clock.systemUTC());
    assertThatThrownBy(provider::token)
        .isInstanceOf(UnauthorizedAccessFhirServiceException.class)
        .hasMessageContaining("https://fhir.example/.default");
  }
}
