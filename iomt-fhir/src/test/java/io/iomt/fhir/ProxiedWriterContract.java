package io.iomt.fhir;

import io.iomt.fhir.identity.ResolutionType;
import io.iomt.fhir.write.ObservationWriter;
import io.iomt.testkit.FaultInjectingProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The writer contract against a FHIR server over HTTP: the FHIR writer (with its {@link
 * io.iomt.fhir.identity.IdentityResolver}) writes through a {@link FaultInjectingProxy}, which
 * injects outages and refused credentials; set-up and checks go to the server directly.
 */
abstract class ProxiedWriterContract extends ObservationWriterContract {
  protected FaultInjectingProxy proxy;
  protected FhirResources viaProxy;
  protected final List<Duration> sleeps = new ArrayList<>();

  /** The base URL of the server under test. */
  protected abstract String serverBaseUrl();

  /** The server under test without the proxy. */
  protected abstract FhirResources direct();

  @BeforeEach
  void startProxy() {
    proxy = FaultInjectingProxy.start(serverBaseUrl());
    viaProxy = FhirTestSupport.resources(proxy.baseUrl(), sleeps);
  }

  @AfterEach
  void closeProxy() {
    proxy.close();
  }

  @Override
  protected ObservationWriter writer(ResolutionType resolution) {
    return FhirTestSupport.writer(viaProxy, FhirTestSupport.resolver(viaProxy, resolution));
  }

  @Override
  protected void registerDevice(String deviceIdentifier, String patientIdentifier) {
    FhirTestSupport.registerDevice(direct(), deviceIdentifier, patientIdentifier);
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
    var r = direct().http().get("Observation/" + id);
    return r.status() == 404 || r.status() == 410
        ? Optional.empty()
        : Optional.of(FhirResources.parse(r.body(), Observation.class));
  }

  @Override
  protected List<Observation> storedForDevice(String deviceIdentifier) {
    Device device = direct().findByIdentifier(Device.class, null, deviceIdentifier).orElseThrow();
    String query = "Observation?device=Device/" + device.getIdElement().getIdPart() + "&_count=100";
    Bundle found = FhirResources.parse(direct().http().get(query).body(), Bundle.class);
    return found.getEntry().stream().map(e -> (Observation) e.getResource()).toList();
  }
}
