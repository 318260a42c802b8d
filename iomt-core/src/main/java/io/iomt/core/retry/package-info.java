/**
 * The one backoff of the project: exponential steps with full jitter, a random source and a clock
 * injected so that tests decide both. The FHIR client, the group stage, the stage supervisor and
 * the connector runtime all wait with it, so a misbehaving dependency is retried the same way
 * everywhere and nobody retries in lockstep.
 */
package io.iomt.core.retry;
