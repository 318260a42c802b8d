/**
 * The connector's one home for the Azure SDK. Today: Microsoft Entra ID tokens for Azure Health
 * Data Services and Azure API for FHIR ({@link io.iomt.azure.AzureIdentityTokenProvider}, plugged
 * into iomt-fhir's {@code FhirAuth} through the {@code AzureAuthProvider} service-provider
 * interface, so {@code azure-*} auth types work wherever this module is on the class path: the
 * service has it, the CLI does not); the Event Hubs / IoT Hub source over AMQP with Blob
 * checkpoints ({@code io.iomt.azure.eventhubs}); Azure AD login (SASL OAUTHBEARER) to Event Hubs'
 * Kafka endpoint ({@code io.iomt.azure.kafka}); dead letters to a customer's Event Hub ({@code
 * io.iomt.azure.deadletter}); the one Azure credential the service shares among FHIR, Key Vault,
 * Event Hubs and Blob ({@link io.iomt.azure.SharedAzureCredential}); Key Vault secret references
 * ({@link io.iomt.azure.keyvault}). Other modules reach Azure only through this module's
 * implementations of their ports, never through the SDK; this module knows no Spring.
 */
package io.iomt.azure;
