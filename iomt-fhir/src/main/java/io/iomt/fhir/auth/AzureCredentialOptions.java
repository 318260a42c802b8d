package io.iomt.fhir.auth;

/**
 * The one Azure credential a program shares among everything that talks to Azure (FHIR with auth
 * type {@code azure}, Key Vault, Event Hubs, Blob), as the user wrote it: the service's {@code
 * iomt.azure.credential.*}. Any field may be null or blank; {@link FhirAuth#azureCredential} checks
 * it. The secret is a {@link Secret} from the start, so this record prints it masked.
 *
 * @param type {@code managed-identity}, {@code workload-identity}, {@code client-secret}, {@code
 *     azure-cli} or {@code default}; null or blank: no shared credential
 * @param tenantId the Microsoft Entra tenant ({@code client-secret}, {@code workload-identity};
 *     optional for {@code azure-cli})
 * @param clientId the application (client) id ({@code client-secret}, {@code workload-identity}); a
 *     user-assigned identity for {@code managed-identity}
 * @param clientSecret the application's secret ({@code client-secret})
 */
public record AzureCredentialOptions(
    String type, String tenantId, String clientId, Secret clientSecret) {}
