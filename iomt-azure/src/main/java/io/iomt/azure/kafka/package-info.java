/**
 * Azure AD (Microsoft Entra ID) login to an Event Hubs namespace's Kafka endpoint: SASL OAUTHBEARER
 * with tokens from an azure-core {@code TokenCredential} for the scope {@code
 * https://<namespace>/.default}. {@link io.iomt.azure.kafka.EventHubsOAuthBearer} registers a
 * credential and gives the Kafka client properties; {@link
 * io.iomt.azure.kafka.EventHubsTokenCallbackHandler} is the login callback handler Kafka
 * instantiates by class name and that finds the credential through that registration. The
 * connection string ({@code $ConnectionString}, SASL PLAIN) login needs none of this.
 */
package io.iomt.azure.kafka;
