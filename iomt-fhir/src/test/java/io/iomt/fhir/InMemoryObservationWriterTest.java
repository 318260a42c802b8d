package io.iomt.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.core.observation.ObservationFactory;
import io.iomt.fhir.identity.ResolutionType;
import io.iomt.fhir.write.InMemoryObservationWriter;
import io.iomt.fhir.write.ObservationWriter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

/** The in-memory sink passes the writer contract, and counts and exposes what it holds. */
class InMemoryObservationWriterTest extends ObservationWriterContract {
  private final InMemoryObservationWriter store =
      InMemoryObservationWriter.of(Clock.systemUTC(), ResolutionType.LOOKUP);

  @Override
  protected ObservationWriter writer(ResolutionType resolution) {
    return store.sharing(resolution);
  }

  @Override
  protected void registerDevice(String deviceIdentifier, String patientIdentifier) {
    store.registerDevice(deviceIdentifier, patientIdentifier);
  }

  @Override
  protected void makeUnavailable() {
    store.makeUnavailable();
  }

  @Override
  protected void refuseCredentials() {
    store.refuseCredentials();
  }

  @Override
  protected void heal() {
    store.heal();
  }

  @Override
  protected Optional<Observation> stored(String id) {
    return store.observation(id);
  }

  @Override
  protected List<Observation> storedForDevice(String deviceIdentifier) {
    String device = "Device/" + registeredDeviceId(deviceIdentifier);
    return store.observations().stream()
        .filter(o -> o.getDevice().getReference().equals(device))
        .toList();
  }

  private static String registeredDeviceId(String deviceIdentifier) {
    return io.iomt.core.observation.ResourceIds.of("Device", null, deviceIdentifier);
  }

  @Test
  void countsWriteCallsOfEverySharingWriterFailedOnesIncluded() {
    InMemoryObservationWriter replica = store.sharing(ResolutionType.CREATE);
    store.makeUnavailable();
    try {
      replica.write(List.of());
    } catch (io.iomt.core.error.FhirServiceUnavailableException expected) {
      // counted all the same
    }
    store.heal();
    replica.write(List.of());

    assertThat(store.writeCalls()).isEqualTo(2);
    assertThat(store.observations()).isEmpty();
  }

  @Test
  void idsAreTheOnesTheObservationFactoryGivesForTheResolvedSubject() {
    ObservationFactory.Subject subject = store.registerDevice("bed-7", "mrn-7");
    var groups =
        FhirTestSupport.groups(
            FhirTestSupport.SAMPLE_MAPPING,
            List.of(
                FhirTestSupport.measurement(
                    "heartrate", "bed-7", null, "2021-07-07T17:00:00Z", "hr", "70")));

    Observation created = store.write(groups).created().get(0);

    assertThat(created.getIdPart())
        .isEqualTo(new ObservationFactory(Clock.systemUTC()).resourceId(groups.get(0), subject));
    assertThat(created.getSubject().getReference()).isEqualTo("Patient/" + subject.patientId());
  }
}
