package io.iomt.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import io.iomt.core.error.UnauthorizedAccessFhirServiceException;
import io.iomt.fhir.auth.TokenProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Tokens for Azure Health Data Services / Azure API for FHIR through azure-identity: managed
 * identity, client secret, workload identity (AKS), or the default chain. The scope is the FHIR
 * service URL with {@code /.default}. Tokens are cached until 2 minutes before expiry. Thread-safe.
 *
 * <p>No Azure identity endpoint runs on the build machines, so this adapter is exercised only
 * through {@link TokenCredential} fakes in tests; {@link AzureCredentials} builds the real
 * credentials, and {@link AzureIdentityAuthProvider} puts both behind iomt-fhir's {@code
 * AzureAuthProvider} service-provider interface.
 */
public final class AzureIdentityTokenProvider implements TokenProvider {
  private static final Duration REFRESH_BEFORE = Duration.ofMinutes(2);

  private final TokenCredential credential;
  private final TokenRequestContext context;
  private final Clock clock;
  private AccessToken cached;

  /**
   * @param credential the azure-identity credential (or a test's fake), not null
   * @param fhirUrl the FHIR service URL; {@code <url without trailing slashes>/.default} is the
   *     scope
   * @param clock the clock the token's expiry is compared with, not null
   */
  public AzureIdentityTokenProvider(TokenCredential credential, String fhirUrl, Clock clock) {
    this.credential = credential;
    String audience = fhirUrl.replaceAll("/+$", "");
    this.context = new TokenRequestContext().addScopes(audience + "/.default");
    this.clock = clock;
  }

  @Override
  public synchronized Optional<String> token() {
    if (cached == null
        || !clock.instant().isBefore(cached.getExpiresAt().toInstant().minus(REFRESH_BEFORE))) {
      try {
        cached = credential.getTokenSync(context);
      } catch (RuntimeException e) {
        throw new UnauthorizedAccessFhirServiceException(
            "Azure identity could not get a token for "
                + context.getScopes()
                + ": "
                + e.getClass().getSimpleName());
      }
      if (cached == null) {
        throw new UnauthorizedAccessFhirServiceException(
            "Azure identity returned no token for " + context.getScopes());
      }
    }
    return Optional.of(cached.getToken());
  }

  @Override
  public synchronized void invalidate() {
    cached = null;
  }

  Instant expiresAt() {
    return cached == null ? null : cached.getExpiresAt().toInstant();
  }
}
