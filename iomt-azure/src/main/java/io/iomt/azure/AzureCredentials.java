package io.iomt.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.AzureCliCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import io.iomt.fhir.auth.FhirAuthSettings;

/**
 * Builds the azure-identity {@link TokenCredential} for checked settings. Building contacts no
 * endpoint; the first token request does. The service's one shared credential ({@link
 * SharedAzureCredential}) is built here too, as are the FHIR-only {@code azure-*} auth types.
 */
public final class AzureCredentials {
  private AzureCredentials() {}

  /**
   * @throws IllegalArgumentException when azure-identity refuses a value (e.g. a tenant id with
   *     characters a tenant id cannot have), or workload identity runs outside a pod that has a
   *     federated token file
   */
  public static TokenCredential of(FhirAuthSettings.Azure settings) {
    return switch (settings.credential()) {
      case MANAGED_IDENTITY ->
          settings.clientId() == null
              ? new ManagedIdentityCredentialBuilder().build()
              : new ManagedIdentityCredentialBuilder().clientId(settings.clientId()).build();
      case CLIENT_SECRET ->
          new ClientSecretCredentialBuilder()
              .tenantId(settings.tenantId())
              .clientId(settings.clientId())
              .clientSecret(settings.clientSecret().reveal())
              .build();
      case WORKLOAD_IDENTITY -> workloadIdentity(settings);
      case DEFAULT -> new DefaultAzureCredentialBuilder().build();
      case AZURE_CLI ->
          settings.tenantId() == null
              ? new AzureCliCredentialBuilder().build()
              : new AzureCliCredentialBuilder().tenantId(settings.tenantId()).build();
    };
  }

  private static TokenCredential workloadIdentity(FhirAuthSettings.Azure settings) {
    try {
      return new WorkloadIdentityCredentialBuilder()
          .tenantId(settings.tenantId())
          .clientId(settings.clientId())
          .build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "workload identity needs the federated token file that AKS workload identity names in"
              + " AZURE_FEDERATED_TOKEN_FILE on the pod ("
              + e.getMessage()
              + ")",
          e);
    }
  }
}
