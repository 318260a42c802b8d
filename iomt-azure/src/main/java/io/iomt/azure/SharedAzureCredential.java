package io.iomt.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import io.iomt.fhir.auth.FhirAuthSettings;
import io.iomt.fhir.auth.SharedAzureTokens;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The one Azure credential a program shares among everything that talks to Azure: FHIR (auth type
 * {@code azure}), Key Vault references, the Event Hubs source, Blob checkpoints, Kafka OAUTHBEARER.
 * Either configured (the service's {@code iomt.azure.credential.*}, checked) or not; take {@link
 * #credential()} only when {@link #isConfigured()}, or use {@link #ifConfigured()}.
 *
 * <p>The azure-identity credential is built lazily, once, on the first {@link #credential()} call
 * (building contacts no endpoint; the first token request does), so every user shares its token
 * cache. Thread-safe.
 */
public final class SharedAzureCredential {
  private static final SharedAzureCredential NONE = new SharedAzureCredential(null, null);

  private final FhirAuthSettings.Azure settings;
  private final Function<FhirAuthSettings.Azure, TokenCredential> factory;
  private volatile TokenCredential credential;

  private SharedAzureCredential(
      FhirAuthSettings.Azure settings, Function<FhirAuthSettings.Azure, TokenCredential> factory) {
    this.settings = settings;
    this.factory = factory;
  }

  /** No shared credential configured. */
  public static SharedAzureCredential none() {
    return NONE;
  }

  /** The credential for checked settings, built by {@link AzureCredentials#of} on first use. */
  public static SharedAzureCredential of(FhirAuthSettings.Azure settings) {
    return new SharedAzureCredential(
        Objects.requireNonNull(settings, "settings"), AzureCredentials::of);
  }

  /** A given credential (tests, or a program that builds its own). */
  public static SharedAzureCredential of(FhirAuthSettings.Azure settings, TokenCredential given) {
    Objects.requireNonNull(given, "given");
    return new SharedAzureCredential(Objects.requireNonNull(settings, "settings"), s -> given);
  }

  public boolean isConfigured() {
    return settings != null;
  }

  /** The checked settings; empty when none are configured. Prints the secret masked. */
  public Optional<FhirAuthSettings.Azure> settings() {
    return Optional.ofNullable(settings);
  }

  /**
   * The azure-identity credential, built on the first call.
   *
   * @throws IllegalStateException when no shared credential is configured
   * @throws IllegalArgumentException when azure-identity refuses a setting (see {@link
   *     AzureCredentials#of})
   */
  public TokenCredential credential() {
    if (settings == null) {
      throw new IllegalStateException(
          "no shared Azure credential is configured (iomt.azure.credential.type)");
    }
    TokenCredential c = credential;
    if (c == null) {
      synchronized (this) {
        c = credential;
        if (c == null) {
          c = factory.apply(settings);
          credential = c;
        }
      }
    }
    return c;
  }

  /** The credential when configured. */
  public Optional<TokenCredential> ifConfigured() {
    return isConfigured() ? Optional.of(credential()) : Optional.empty();
  }

  /**
   * A credential that builds the shared one only when a token is first asked for: for users built
   * at start-up (FHIR token providers) that must not fail before they are used.
   */
  public TokenCredential deferred() {
    return new TokenCredential() {
      @Override
      public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.defer(() -> credential().getToken(request));
      }

      @Override
      public AccessToken getTokenSync(TokenRequestContext request) {
        return credential().getTokenSync(request);
      }
    };
  }

  /**
   * FHIR tokens from this credential, for auth type {@code azure} ({@code
   * FhirAuth.withSharedAzureCredential}); the credential is built when the first token is needed.
   */
  public SharedAzureTokens fhirTokens() {
    return (fhirUrl, clock) ->
        new AzureIdentityTokenProvider(deferred(), fhirUrl.toString(), clock);
  }

  /**
   * This credential as the SDK-free value the service hands to Event Hubs and Blob clients.
   *
   * @throws IllegalStateException when none is configured
   */
  public AzureCredential azureCredential() {
    return AzureCredential.of(credential(), toString());
  }

  @Override
  public String toString() {
    return settings == null ? "SharedAzureCredential[none]" : "SharedAzureCredential" + settings;
  }
}
