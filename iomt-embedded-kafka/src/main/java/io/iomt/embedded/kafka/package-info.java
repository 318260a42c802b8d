/**
 * A real Kafka broker in-process: the service's default when no {@code bootstrap.servers} is
 * configured, and the broker of other modules' integration tests: {@link
 * io.iomt.embedded.kafka.EmbeddedKafkaBroker}, an in-process single-node KRaft broker whose data
 * lives in a directory the test chooses, so that a restart on the same directory keeps topics,
 * records and committed offsets. It can also open a second listener that authenticates like the
 * Kafka endpoint of an Azure Event Hubs namespace (SASL PLAIN, user {@code $ConnectionString}), so
 * tests can run the exact client settings a namespace needs, minus TLS.
 */
package io.iomt.embedded.kafka;
