package io.iomt.fhir;

import static io.iomt.fhir.FhirTestSupport.groups;
import static io.iomt.fhir.FhirTestSupport.measurement;
import static io.iomt.fhir.FhirTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iomt.core.error.DeviceNotFoundException;
import io.iomt.core.error.FhirServiceException;
import io.iomt.core.error.FhirServiceUnavailableException;
import io.iomt.core.error.UnauthorizedAccessFhirServiceException;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.observation.ObservationGroup;
import io.iomt.fhir.identity.ResolutionType;
import io.iomt.fhir.write.ObservationWriter;
import io.iomt.fhir.write.WriteReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ObservationWriter} promises (its Javadoc): deterministic ids and idempotent
 * replays, merges of one period into one Observation, per-group rejections beside written groups,
 * blocking errors after which the same flush is written exactly once, and no value lost when
 * writers with stale state or at the same time merge into one Observation. Each implementation's
 * test extends this class and provides the hooks; both run the same cases.
 */
abstract class ObservationWriterContract {

  /** A new writer (a fresh replica: its own caches) against the store every hook looks at. */
  protected abstract ObservationWriter writer(ResolutionType resolution);

  /** Registers a Patient and a Device linked to it, as a hospital would. */
  protected abstract void registerDevice(String deviceIdentifier, String patientIdentifier);

  /** Every later write fails as when the server is unreachable, until {@link #heal()}. */
  protected abstract void makeUnavailable();

  /** Every later write fails as when the server refuses the credentials, until {@link #heal()}. */
  protected abstract void refuseCredentials();

  /** The server is back and accepts the credentials. */
  protected abstract void heal();

  /** The Observation stored with this id, as the store holds it now. */
  protected abstract Optional<Observation> stored(String id);

  /** Every Observation stored for the device with this identifier. */
  protected abstract List<Observation> storedForDevice(String deviceIdentifier);

  private static List<ObservationGroup> flush(Measurement... measurements) {
    return groups(FhirTestSupport.SAMPLE_MAPPING, List.of(measurements));
  }

  private static List<String> ids(List<? extends Resource> resources) {
    return resources.stream().map(r -> r.getIdElement().getIdPart()).sorted().toList();
  }

  private static List<ObservationGroup> threeTypes(String device, String patient) {
    return flush(
        measurement("heartrate", device, patient, "2021-07-07T17:00:00Z", "hr", "72"),
        measurement(
            "bloodpressure",
            device,
            patient,
            "2021-07-07T17:00:00Z",
            "systolic",
            "120",
            "diastolic",
            "80"),
        measurement("spo2", device, patient, "2021-07-07T17:00:01Z", "spo2", "97"));
  }

  private static String data(Observation o) {
    return o.getValueSampledData().getData();
  }

  @Test
  void theSameFlushWrittenTwiceKeepsItsIdsAndIsUnchangedTheSecondTime() {
    String device = unique("replayed");
    List<ObservationGroup> flush = threeTypes(device, unique("mrn"));
    ObservationWriter writer = writer(ResolutionType.CREATE);

    WriteReport first = writer.write(flush);
    WriteReport again = writer.write(flush);
    WriteReport replica = writer(ResolutionType.CREATE).write(flush);

    assertThat(first.created()).hasSize(3);
    assertThat(first.rejected()).isEmpty();
    for (WriteReport replay : List.of(again, replica)) {
      assertThat(replay.created()).isEmpty();
      assertThat(replay.updated()).isEmpty();
      assertThat(replay.rejected()).isEmpty();
      assertThat(ids(replay.unchanged())).isEqualTo(ids(first.created()));
    }
    assertThat(ids(storedForDevice(device))).isEqualTo(ids(first.created()));
    assertThat(storedForDevice(device)).allMatch(o -> o.getMeta().getVersionId().equals("1"));
  }

  @Test
  void twoFlushesOfTheSameHourOfOneDeviceMergeIntoOneObservationReportedUpdated() {
    String device = unique("oximeter");
    String patient = unique("mrn");
    WriteReport first =
        writer(ResolutionType.CREATE)
            .write(
                flush(measurement("spo2", device, patient, "2021-07-07T17:00:00Z", "spo2", "97")));
    WriteReport second =
        writer(ResolutionType.CREATE)
            .write(
                flush(measurement("spo2", device, patient, "2021-07-07T17:00:02Z", "spo2", "95")));

    assertThat(first.created()).hasSize(1);
    assertThat(second.created()).isEmpty();
    assertThat(ids(second.updated())).isEqualTo(ids(first.created()));
    assertThat(storedForDevice(device)).hasSize(1);
    Observation stored = stored(first.created().get(0).getIdPart()).orElseThrow();
    assertThat(data(stored)).startsWith("97 E 95 E");
    assertThat(stored.getStatus()).isEqualTo(Observation.ObservationStatus.AMENDED);
  }

  @Test
  void anUnknownDeviceInLookupIsRejectedAloneAndTheOtherGroupsOfTheFlushAreWritten() {
    String known = unique("known");
    String ghost = unique("ghost");
    registerDevice(known, unique("mrn"));

    WriteReport report =
        writer(ResolutionType.LOOKUP)
            .write(
                flush(
                    measurement("heartrate", ghost, null, "2021-07-07T17:00:00Z", "hr", "60"),
                    measurement("heartrate", known, null, "2021-07-07T17:00:00Z", "hr", "61"),
                    measurement("spo2", known, null, "2021-07-07T17:00:00Z", "spo2", "98")));

    assertThat(report.created()).hasSize(2);
    assertThat(report.rejected())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.group().key().deviceId()).isEqualTo(ghost);
              assertThat(r.error()).isInstanceOf(DeviceNotFoundException.class);
              assertThat(r.error().isBlocking()).isFalse();
              assertThat(r.error().getMessage())
                  .startsWith("No Device with identifier " + ghost + " on ")
                  .endsWith("(resolution type LOOKUP)");
            });
    assertThat(ids(storedForDevice(known))).isEqualTo(ids(report.created()));
  }

  @Test
  void anUnavailableServerIsBlockingAndTheSameFlushIsThenWrittenExactlyOnce() {
    blockingErrorThenExactlyOnce(this::makeUnavailable, FhirServiceUnavailableException.class);
  }

  @Test
  void refusedCredentialsAreBlockingAndTheSameFlushIsThenWrittenExactlyOnce() {
    blockingErrorThenExactlyOnce(
        this::refuseCredentials, UnauthorizedAccessFhirServiceException.class);
  }

  private void blockingErrorThenExactlyOnce(
      Runnable fault, Class<? extends FhirServiceException> expected) {
    String device = unique("outage");
    List<ObservationGroup> flush = threeTypes(device, unique("mrn"));
    ObservationWriter writer = writer(ResolutionType.CREATE);

    fault.run();
    assertThatThrownBy(() -> writer.write(flush))
        .isInstanceOfSatisfying(expected, e -> assertThat(e.isBlocking()).isTrue());
    heal();
    WriteReport retried = writer.write(flush);
    WriteReport replayed = writer.write(flush);

    assertThat(retried.created()).hasSize(3);
    assertThat(retried.rejected()).isEmpty();
    assertThat(ids(replayed.unchanged())).isEqualTo(ids(retried.created()));
    assertThat(ids(storedForDevice(device))).isEqualTo(ids(retried.created()));
  }

  @Test
  void aWriterWithAStaleViewMergesIntoTheNewerObservationInsteadOfOverwritingIt() {
    String device = unique("contended");
    String patient = unique("mrn");
    ObservationWriter a = writer(ResolutionType.CREATE);
    ObservationWriter b = writer(ResolutionType.CREATE);

    String id =
        a.write(flush(measurement("spo2", device, patient, "2021-07-07T17:00:00Z", "spo2", "97")))
            .created()
            .get(0)
            .getIdPart();
    b.write(flush(measurement("spo2", device, patient, "2021-07-07T17:00:01Z", "spo2", "96")));
    WriteReport stale =
        a.write(flush(measurement("spo2", device, patient, "2021-07-07T17:00:02Z", "spo2", "95")));

    assertThat(stale.rejected()).isEmpty();
    assertThat(ids(stale.updated())).containsExactly(id);
    assertThat(data(stored(id).orElseThrow())).startsWith("97 96 95 E");
    assertThat(stored(id).orElseThrow().getMeta().getVersionId()).isEqualTo("3");
  }

  @Test
  void fourWritersCreatingAndMergingOneObservationAtOnceLoseNoValue() throws Exception {
    String device = unique("race");
    registerDevice(device, unique("mrn"));
    int writers = 4;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<WriteReport> reports = new ArrayList<>();
    try {
      List<Future<WriteReport>> futures = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        ObservationWriter own = writer(ResolutionType.LOOKUP);
        List<ObservationGroup> mine =
            flush(
                measurement("spo2", device, null, "2021-07-07T17:00:0" + i + "Z", "spo2", "9" + i));
        Callable<WriteReport> task =
            () -> {
              start.await();
              return own.write(mine);
            };
        futures.add(pool.submit(task));
      }
      start.countDown();
      for (Future<WriteReport> f : futures) {
        reports.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(reports).allSatisfy(r -> assertThat(r.rejected()).isEmpty());
    assertThat(reports.stream().mapToInt(r -> r.created().size()).sum()).isEqualTo(1);
    assertThat(reports.stream().mapToInt(r -> r.updated().size()).sum()).isEqualTo(writers - 1);
    assertThat(storedForDevice(device))
        .singleElement()
        .satisfies(o -> assertThat(data(o)).startsWith("90 91 92 93 E"));
  }
}
