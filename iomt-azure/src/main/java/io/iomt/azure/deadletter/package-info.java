/**
 * Dead letters to a customer's Azure Event Hub ({@link
 * io.iomt.azure.deadletter.EventHubDeadLetterSink}, the pipeline's {@code DeadLetterSink} on the
 * SDK's {@code EventHubProducerClient}): each dead letter becomes one event whose body is the
 * original message and whose application properties carry its headers, the error's name, stage,
 * message and severity, the connector, and its Kafka positions ({@link
 * io.iomt.azure.deadletter.DeadLetterEvents} is that mapping, a pure function).
 */
package io.iomt.azure.deadletter;
