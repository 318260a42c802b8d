package io.iomt.fhir;

import io.iomt.testkit.FaultInjectingProxy;
import io.iomt.testkit.InMemoryFhirServer;
import org.junit.jupiter.api.AfterAll;

/**
 * The testkit's {@link InMemoryFhirServer} is a faithful stand-in for the connector: the FHIR
 * writer (with its {@link io.iomt.fhir.identity.IdentityResolver}) passes the whole writer contract
 * against it, with outages and refused credentials injected by a {@link FaultInjectingProxy} in
 * front, exactly as {@link FhirObservationWriterIT} runs it against the HAPI FHIR JPA server.
 */
class InMemoryFhirServerWriterIT extends ProxiedWriterContract {
  private static final InMemoryFhirServer SERVER = InMemoryFhirServer.start();
  private static final FhirResources DIRECT = FhirTestSupport.resources(SERVER.baseUrl());

  @AfterAll
  static void closeServer() {
    SERVER.close();
  }

  @Override
  protected String serverBaseUrl() {
    return SERVER.baseUrl();
  }

  @Override
  protected FhirResources direct() {
    return DIRECT;
  }
}
