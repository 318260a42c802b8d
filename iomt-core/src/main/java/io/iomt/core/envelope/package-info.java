/**
 * The event envelope: how a raw message (body bytes plus application and system properties) is
 * presented to device mappings, with the size and nesting limits that protect the connector from
 * hostile input.
 */
package io.iomt.core.envelope;
