/**
 * HTTP ingest, {@code POST /ingest/{connector}}: the body read within a size limit and a deadline
 * ({@link io.iomt.service.ingest.BodyReader}), split into messages without re-serializing them
 * ({@link io.iomt.service.ingest.MessageSplitter}: each record's value is the exact byte range the
 * device sent, checked for JSON syntax and strict Unicode), appended to the connector's source
 * topic ({@link io.iomt.service.ingest.IngestProducer}), and counted with bounded metric tags
 * ({@link io.iomt.service.ingest.IngestMetrics}). A refusal is an {@link
 * io.iomt.service.ingest.IngestRefusal} with a code from a fixed set.
 */
package io.iomt.service.ingest;
