package io.iomt.fhir;

import io.iomt.fhir.identity.ResolutionType;
import io.iomt.fhir.write.ObservationWriter;
import io.iomt.testkit.FaultInjectingProxy;
import io.iomt.testkit.InMemoryFhirServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The testkit's {@link InMemoryFhirServer} is a faithful stand-in for the connector: the FHIR
 * writer (with its {@link io.iomt.fhir.identity.IdentityResolver}) passes the whole writer contract
 * against it, with outages and refused credentials injected by a {@link FaultInjectingProxy} in
 * front, exactly as {@link FhirObservationWriterIT} runs it against the HAPI FHIR JPA server.
 */
class InMemoryFhirServerWriterIT extends ObservationWriterContract {
  private static final InMemoryFhirServer SERVER = InMemoryFhirServer.start();
  private static final FhirResources DIRECT = FhirTestSupport.resources(SERVER.baseUrl());

  private FaultInjectingProxy proxy;
  private FhirResources viaProxy;
  private final List<Duration> sleeps = new ArrayList<>();

  @BeforeEach
  void startProxy() {
    proxy = FaultInjectingProxy.start(SERVER.baseUrl());
    viaProxy = FhirTestSupport.resources(proxy.baseUrl(), sleeps);
  }

  @AfterEach
  void closeProxy() {
    proxy.close();
  }

  @AfterAll
  static void closeServer() {
    SERVER.close();
  }

  @Override
  protected ObservationWriter writer(ResolutionType resolution) {
    return FhirTestSupport.writer(viaProxy, FhirTestSupport.resolver(viaProxy, resolution));
  }

  @Override
  protected void registerDevice(String deviceIdentifier, String patientIdentifier) {
    FhirTestSupport.registerDevice(DIRECT, deviceIdentifier, patientIdentifier);
  }

  @Override
  protected void makeUnavailable() {
    proxy.failNext(1000, 503, null);
  }

  @Override
  protected void refuseCredentials() {
    proxy.failNext(1000, 401, null);
  }

  @Override
  protected void heal() {
    proxy.clearFaults();
  }

  @Override
  protected Optional<Observation> stored(String id) {
    var r = DIRECT.http().get("Observation/" + id);
    return r.status() == 404 || r.status() == 410
        ? Optional.empty()
        : Optional.of(FhirResources.parse(r.body(), Observation.class));
  }

  @Override
  protected List<Observation> storedForDevice(String deviceIdentifier) {
    Device device = DIRECT.findByIdentifier(Device.class, null, deviceIdentifier).orElseThrow();
    String query = "Observation?device=Device/" + device.getIdElement().getIdPart() + "&_count=100";
    Bundle found = FhirResources.parse(DIRECT.http().get(query).body(), Bundle.class);
    return found.getEntry().stream().map(e -> (Observation) e.getResource()).toList();
  }
}
