/**
 * The streaming stages on Kafka: {@link io.iomt.pipeline.NormalizeStage} (device events to
 * measurements keyed by device id) and {@link io.iomt.pipeline.GroupStage} (per-partition buffers
 * flushed by {@link io.iomt.pipeline.FlushPolicy} into FHIR). Both commit offsets only after what
 * they produced or wrote was acknowledged; bad data goes to the error topic ({@link
 * io.iomt.pipeline.DeadLetters}); FHIR outages pause partitions instead of dropping data.
 */
package io.iomt.pipeline;
