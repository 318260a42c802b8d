package io.iomt.fhir.auth;

/**
 * FHIR authentication as a user wrote it, before it is checked: the service's {@code
 * iomt.connectors.<name>.fhir.auth.*} properties or the CLI's options. Any field may be null or
 * blank; {@link FhirAuth#settings} turns these into {@link FhirAuthSettings} or lists every
 * problem. Secrets are {@link Secret}s from the start, so this record prints them masked.
 *
 * @param type {@code none}, {@code bearer}, {@code oauth2}, {@code azure} (the shared Azure
 *     credential), {@code azure-managed-identity}, {@code azure-client-secret}, {@code
 *     azure-workload-identity}, {@code azure-default} or {@code azure-cli}; null means {@code none}
 * @param token the static bearer token ({@code bearer})
 * @param tokenUrl the OAuth2 token endpoint ({@code oauth2})
 * @param clientId the OAuth2 client or Azure application (client) id
 * @param clientSecret the OAuth2 or Azure client secret
 * @param scope the OAuth2 scope ({@code oauth2})
 * @param tenantId the Microsoft Entra tenant ({@code azure-client-secret}, {@code
 *     azure-workload-identity})
 */
public record FhirAuthOptions(
    String type,
    Secret token,
    String tokenUrl,
    String clientId,
    Secret clientSecret,
    String scope,
    String tenantId) {

  /** No authentication. */
  public static final FhirAuthOptions NONE =
      new FhirAuthOptions("none", null, null, null, null, null, null);
}
