/**
 * The connector's one home for the Azure SDK. Today: Microsoft Entra ID tokens for Azure Health
 * Data Services and Azure API for FHIR ({@link io.iomt.azure.AzureIdentityTokenProvider}, plugged
 * into iomt-fhir's {@code FhirAuth} through the {@code AzureAuthProvider} service-provider
 * interface, so {@code azure-*} auth types work wherever this module is on the class path: the
 * service has it, the CLI does not); dead letters to a customer's Event Hub ({@code
 * io.iomt.azure.deadletter}). Next: the Event Hubs / IoT Hub AMQP event source, the Blob checkpoint
 * store and the Key Vault secret resolver. Other modules reach Azure only through this module's
 * implementations of their ports, never through the SDK; this module knows no Spring.
 */
package io.iomt.azure;
