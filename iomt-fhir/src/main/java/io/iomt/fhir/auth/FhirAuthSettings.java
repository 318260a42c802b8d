package io.iomt.fhir.auth;

import java.net.URI;
import java.util.Objects;

/**
 * How the connector authenticates to a FHIR server, checked: each alternative holds exactly what
 * its kind needs, so a value of this type is always complete. Made by {@link FhirAuth#settings}
 * from {@link FhirAuthOptions}; turned into a {@link TokenProvider} by {@link
 * FhirAuth#tokenProvider(FhirAuthSettings, URI, java.time.Clock, SettingPaths)}. Secrets are {@link
 * Secret}s, so every alternative prints them masked.
 */
public sealed interface FhirAuthSettings {

  /** The value of the {@code type} setting this alternative stands for, e.g. {@code oauth2}. */
  String type();

  /** No authentication. */
  record None() implements FhirAuthSettings {
    @Override
    public String type() {
      return "none";
    }
  }

  /** A fixed bearer token (e.g. from a vault through an environment variable). */
  record StaticToken(Secret token) implements FhirAuthSettings {
    public StaticToken {
      Objects.requireNonNull(token, "token");
    }

    @Override
    public String type() {
      return "bearer";
    }
  }

  /**
   * OAuth2 client credentials (RFC 6749 §4.4) against an http(s) token endpoint.
   *
   * @param scope never null (the service has always required it)
   */
  record OAuth2(URI tokenUrl, String clientId, Secret clientSecret, String scope)
      implements FhirAuthSettings {
    public OAuth2 {
      Objects.requireNonNull(tokenUrl, "tokenUrl");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
      Objects.requireNonNull(scope, "scope");
    }

    @Override
    public String type() {
      return "oauth2";
    }
  }

  /**
   * Microsoft Entra ID through the one Azure credential the program shares among everything that
   * talks to Azure (the service's {@code iomt.azure.credential.*}; auth type {@code azure}). The
   * token provider comes from the {@link SharedAzureTokens} given to {@link
   * FhirAuth#withSharedAzureCredential}; without one, this type is a configuration problem.
   */
  record SharedAzure() implements FhirAuthSettings {
    @Override
    public String type() {
      return "azure";
    }
  }

  /**
   * Microsoft Entra ID through azure-identity; built by the {@link AzureAuthProvider} that the
   * iomt-azure module provides.
   *
   * <p>The same record is the checked form of the service's shared credential ({@code
   * iomt.azure.credential.*}, checked by {@link FhirAuth#azureCredential}).
   *
   * @param credential which azure-identity credential
   * @param tenantId required for {@link Credential#CLIENT_SECRET} and {@link
   *     Credential#WORKLOAD_IDENTITY}; optional for {@link Credential#AZURE_CLI} (the CLI's default
   *     tenant when null); otherwise null
   * @param clientId required for {@link Credential#CLIENT_SECRET} and {@link
   *     Credential#WORKLOAD_IDENTITY}; for {@link Credential#MANAGED_IDENTITY} the user-assigned
   *     identity, null for the system-assigned one; null for {@link Credential#DEFAULT}
   * @param clientSecret required for {@link Credential#CLIENT_SECRET}, otherwise null
   */
  record Azure(Credential credential, String tenantId, String clientId, Secret clientSecret)
      implements FhirAuthSettings {
    public Azure {
      Objects.requireNonNull(credential, "credential");
      if (credential.needsTenantAndClient() && (tenantId == null || clientId == null)) {
        throw new IllegalArgumentException(credential + " needs a tenant id and a client id");
      }
      if (credential == Credential.CLIENT_SECRET && clientSecret == null) {
        throw new IllegalArgumentException(credential + " needs a client secret");
      }
    }

    @Override
    public String type() {
      return credential.type();
    }

    /** The azure-identity credential kinds the connector supports. */
    public enum Credential {
      /** Azure compute with a managed identity (system- or user-assigned). */
      MANAGED_IDENTITY,
      /** An app registration with a client secret. */
      CLIENT_SECRET,
      /** AKS workload identity (federated token file). */
      WORKLOAD_IDENTITY,
      /** azure-identity's DefaultAzureCredential chain. */
      DEFAULT,
      /** The signed-in Azure CLI user ({@code az login}), for local use. */
      AZURE_CLI;

      /** {@code azure-managed-identity}, {@code azure-client-secret}, ..., {@code azure-cli}. */
      public String type() {
        return this == AZURE_CLI ? "azure-cli" : "azure-" + credentialType();
      }

      /**
       * The name in the shared credential's {@code type} setting: {@code managed-identity}, {@code
       * client-secret}, {@code workload-identity}, {@code default}, {@code azure-cli}.
       */
      public String credentialType() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
      }

      boolean needsTenantAndClient() {
        return this == CLIENT_SECRET || this == WORKLOAD_IDENTITY;
      }
    }
  }
}
