/**
 * Real dependencies for other modules' integration tests, used in test scope (the demo, iomt-demo,
 * is the one exception: its FHIR server is {@link io.iomt.testkit.HapiFhirServer#persistent}):
 * {@link io.iomt.testkit.HapiFhirServer}, an in-process HAPI FHIR JPA R4 server, and {@link
 * io.iomt.testkit.FaultInjectingProxy}, a reverse proxy that counts requests and injects
 * throttling, delays and dropped connections in front of any HTTP server.
 */
package io.iomt.testkit;
