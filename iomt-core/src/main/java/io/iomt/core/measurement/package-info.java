/**
 * The normalized measurement model: what the device mapping produces and the grouping stage
 * consumes. Values are strings, timestamps are UTC {@link java.time.Instant}s with up to 7
 * fractional digits, printed by {@link io.iomt.core.measurement.Timestamps}.
 */
package io.iomt.core.measurement;
