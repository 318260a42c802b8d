/**
 * An AMQP 1.0 server on loopback, built on proton-j's engine, that speaks enough of Azure Event
 * Hubs ({@code $cbs} put-token, {@code $management} reads, partition receivers with selector
 * filters and epochs, producers with batches) for the real Azure SDK clients, {@code
 * EventProcessorClient} included, to run against it in tests with a {@code
 * UseDevelopmentEmulator=true} connection string. Entry point: {@link
 * io.iomt.testkit.azure.eventhubs.EventHubsTestServer}, whose Javadoc lists what is implemented and
 * what is not. Test fixture only: nothing here ships in the service.
 */
package io.iomt.testkit.azure.eventhubs;
