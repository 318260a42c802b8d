/**
 * HTTP access to a FHIR server on the JDK client: authentication, retries with backoff, jitter and
 * {@code Retry-After}, and classification of failures into the connector's blocking errors. Chosen
 * over HAPI's generic client for control of batching, conditional headers and request counting;
 * HAPI's parser still reads and writes the resources.
 */
package io.iomt.fhir.http;
