package io.iomt.azure;

import com.azure.core.credential.TokenCredential;
import java.util.Objects;

/**
 * The connector's Azure identity as one value other modules can hold and pass around without
 * depending on the Azure SDK (the service may not: each SDK has one home module): it wraps the
 * azure-identity {@link TokenCredential} that Event Hubs, Blob checkpoints, Key Vault and FHIR
 * share. Immutable and thread-safe (azure-identity credentials are, and cache their tokens).
 */
public final class AzureCredential {
  private final TokenCredential credential;
  private final String description;

  private AzureCredential(TokenCredential credential, String description) {
    this.credential = Objects.requireNonNull(credential, "credential");
    this.description = description;
  }

  /**
   * @param description what it is, for logs and errors (e.g. {@code managed identity}); no secret
   */
  public static AzureCredential of(TokenCredential credential, String description) {
    return new AzureCredential(credential, description);
  }

  /** The SDK credential, for the clients of this module. */
  public TokenCredential tokenCredential() {
    return credential;
  }

  @Override
  public String toString() {
    return "AzureCredential[" + description + "]";
  }
}
