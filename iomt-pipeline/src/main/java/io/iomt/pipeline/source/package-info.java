/**
 * The event-source port: what a normalize stage reads ({@link io.iomt.pipeline.source.SourceEvent}:
 * body bytes, application properties, system properties, partition, position, ingestion time) and
 * how it acknowledges progress ({@link io.iomt.pipeline.source.EventSource#commit}, called only
 * after every record produced for the events was acknowledged). Kafka is one implementation ({@code
 * io.iomt.pipeline.KafkaEventSource}); the Azure Event Hubs {@code EventProcessorClient} with Blob
 * checkpoints is the next, without touching the stage. Nothing here knows a transport.
 */
package io.iomt.pipeline.source;
