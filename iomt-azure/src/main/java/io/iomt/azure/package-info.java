/**
 * The connector's one home for the Azure SDK. Today: Microsoft Entra ID tokens for Azure Health
 * Data Services and Azure API for FHIR ({@link io.iomt.azure.AzureIdentityTokenProvider}, plugged
 * into iomt-fhir's {@code FhirAuth} through the {@code AzureAuthProvider} service-provider
 * interface, so {@code azure-*} auth types work wherever this module is on the class path: the
 * service has it, the CLI does not); the one Azure credential the service shares among FHIR, Key
 * Vault, Event Hubs and Blob ({@link io.iomt.azure.SharedAzureCredential}); Key Vault secret
 * references ({@link io.iomt.azure.keyvault}). Next: the Event Hubs / IoT Hub AMQP event source and
 * the Blob checkpoint store. Other modules reach Azure only through this module's implementations
 * of their ports, never through the SDK; this module knows no Spring.
 */
package io.iomt.azure;
