/**
 * Forwarding dead letters to a destination the customer owns (the design's "routing for failures"):
 * the error topic stays the durable first stop, and a {@link
 * io.iomt.pipeline.deadletter.DeadLetterForwardStage} reads it as a consumer group of its own and
 * hands each {@link io.iomt.pipeline.deadletter.DeadLetter} to a {@link
 * io.iomt.pipeline.deadletter.DeadLetterSink} (an Azure Event Hub in iomt-azure; {@link
 * io.iomt.pipeline.deadletter.InMemoryDeadLetterSink} for tests), committing only what the sink
 * accepted. Nothing here knows a transport: the stage reads through the event-source port.
 */
package io.iomt.pipeline.deadletter;
