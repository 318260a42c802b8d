/**
 * Real dependencies and shared helpers for other modules' integration tests, used in test scope
 * (the demo, iomt-demo, is the one exception: its FHIR server is {@link
 * io.iomt.testkit.HapiFhirServer#persistent}): {@link io.iomt.testkit.HapiFhirServer}, an
 * in-process HAPI FHIR JPA R4 server; {@link io.iomt.testkit.InMemoryFhirServer}, a fast HAPI plain
 * server keeping Patient, Device, Encounter and Observation in memory with the JPA server's write
 * rules (for load tests); {@link io.iomt.testkit.FaultInjectingProxy}, a reverse proxy that counts
 * requests and injects throttling, delays, a fixed latency and dropped connections in front of any
 * HTTP server; {@link io.iomt.testkit.Await}, the one way tests wait for something asynchronous;
 * {@link io.iomt.testkit.FhirObservations} and {@link io.iomt.testkit.SampleMessages}, what the
 * connector wrote per device and the messages the sample device mapping reads; {@link
 * io.iomt.testkit.MutableClock}, time under the test's control.
 */
package io.iomt.testkit;
