package io.iomt.fhir.auth;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import io.iomt.core.error.UnauthorizedAccessFhirServiceException;
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
 * through {@link TokenCredential} fakes in tests; the SDK stays behind this class.
 */
public final class AzureIdentityTokenProvider implements TokenProvider {
  private static final Duration REFRESH_BEFORE = Duration.ofMinutes(2);

  private final TokenCredential credential;
  private final TokenRequestContext context;
  private final Clock clock;
  private AccessToken cached;

  public AzureIdentityTokenProvider(TokenCredential credential, String fhirUrl, Clock clock) {
    this.credential = credential;
    String audience = fhirUrl.replaceAll("/+$", "");
    this.context = new TokenRequestContext().addScopes(audience + "/.default");
    this.clock = clock;
  }

  /** How the connector proves its identity to Azure. */
  public enum Kind {
    MANAGED_IDENTITY,
    CLIENT_SECRET,
    WORKLOAD_IDENTITY,
    DEFAULT
  }

  /** Builds the azure-identity credential for a kind; clientId may be null for system-assigned. */
  public static TokenCredential credential(
      Kind kind, String tenantId, String clientId, Secret clientSecret) {
    return switch (kind) {
      case MANAGED_IDENTITY ->
          clientId == null
              ? new ManagedIdentityCredentialBuilder().build()
              : new ManagedIdentityCredentialBuilder().clientId(clientId).build();
      case CLIENT_SECRET ->
          new ClientSecretCredentialBuilder()
              .tenantId(tenantId)
              .clientId(clientId)
              .clientSecret(clientSecret.reveal())
              .build();
      case WORKLOAD_IDENTITY ->
          new WorkloadIdentityCredentialBuilder().tenantId(tenantId).clientId(clientId).build();
      case DEFAULT -> new DefaultAzureCredentialBuilder().build();
    };
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
