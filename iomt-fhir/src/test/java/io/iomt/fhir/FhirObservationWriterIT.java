package io.iomt.fhir;

import static io.iomt.fhir.FhirTestSupport.measurement;
import static io.iomt.fhir.FhirTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.core.error.FhirResourceRejectedException;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.observation.GroupKey;
import io.iomt.fhir.identity.IdentityResolver;
import io.iomt.fhir.identity.ResolutionType;
import io.iomt.fhir.write.ObservationWriter;
import io.iomt.fhir.write.WriteReport;
import io.iomt.testkit.FaultInjectingProxy;
import io.iomt.testkit.HapiFhirServer;
import java.util.function.UnaryOperator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

/**
 * The FHIR writer passes the writer contract against the real HAPI FHIR JPA server, with outages
 * and refused credentials injected by a {@link FaultInjectingProxy}; and it keeps optimistic
 * concurrency when the server's answers are short, lack versions, or are stale (defect 2).
 */
class FhirObservationWriterIT extends ProxiedWriterContract {
  private static final HapiFhirServer SERVER = HapiFhirServer.shared();
  private static final FhirResources DIRECT = FhirTestSupport.resources(SERVER.baseUrl());

  @Override
  protected String serverBaseUrl() {
    return SERVER.baseUrl();
  }

  @Override
  protected FhirResources direct() {
    return DIRECT;
  }

  /** A writer through the proxy whose identity cache already knows the device. */
  private ObservationWriter warmWriter(String device, String patient) {
    IdentityResolver resolver = FhirTestSupport.resolver(viaProxy, ResolutionType.CREATE);
    resolver.resolve(new GroupKey("spo2", device, patient, null, null));
    return FhirTestSupport.writer(viaProxy, resolver);
  }

  private static String create(Measurement m) {
    return FhirTestSupport.write(FhirTestSupport.creatingWriter(DIRECT), m)
        .created()
        .get(0)
        .getIdPart();
  }

  private static String data(String id) {
    var r = DIRECT.http().get("Observation/" + id);
    return FhirResources.parse(r.body(), Observation.class).getValueSampledData().getData();
  }

  private static UnaryOperator<String> bundle(java.util.function.Consumer<Bundle> change) {
    return body -> {
      Bundle b = FhirResources.parse(body, Bundle.class);
      change.accept(b);
      return FhirResources.encode(b);
    };
  }

  private static boolean names(Bundle.BundleEntryComponent e, String id) {
    return e.hasResource() && id.equals(e.getResource().getIdElement().getIdPart());
  }

  @Test
  void aBatchReadThatLeavesAnObservationOutIsNotTakenAsAbsentAndItsMergedValuesStay() {
    String device = unique("short-read");
    String patient = unique("mrn");
    String heartRate =
        create(measurement("heartrate", device, patient, "2021-07-07T17:00:00Z", "hr", "72"));
    String spo2 =
        create(measurement("spo2", device, patient, "2021-07-07T17:00:00Z", "spo2", "97"));
    ObservationWriter writer = warmWriter(device, patient);
    proxy.resetCounts();
    proxy.rewriteNext(1, body -> body); // the creates sent without reading, refused
    proxy.rewriteNext(1, bundle(b -> b.getEntry().removeIf(e -> names(e, spo2))));

    WriteReport report =
        FhirTestSupport.write(
            writer,
            measurement("heartrate", device, patient, "2021-07-07T17:00:00Z", "hr", "72"),
            measurement("spo2", device, patient, "2021-07-07T17:00:02Z", "spo2", "95"));

    assertThat(report.rejected()).isEmpty();
    assertThat(report.created()).isEmpty();
    assertThat(report.unchanged()).extracting(Observation::getIdPart).containsExactly(heartRate);
    assertThat(report.updated()).extracting(Observation::getIdPart).containsExactly(spo2);
    assertThat(data(spo2)).startsWith("97 E 95 E");
    assertThat(proxy.requests())
        .contains(
            new FaultInjectingProxy.ForwardedRequest("GET", "/fhir/Observation/" + spo2, 200));
  }

  @Test
  void aWriteAnswerWithoutAVersionIsNotCachedSoTheNextUpdateStillCarriesIfMatch() {
    String device = unique("no-etag");
    String patient = unique("mrn");
    ObservationWriter a = warmWriter(device, patient);
    proxy.rewriteNext(
        1,
        bundle(
            b ->
                b.getEntry()
                    .forEach(
                        e -> {
                          e.getResponse().setEtag(null);
                          e.getResponse()
                              .setLocation(
                                  e.getResponse().getLocation().replaceAll("/_history/.*", ""));
                        })));
    String id =
        FhirTestSupport.write(
                a, measurement("spo2", device, patient, "2021-07-07T17:00:00Z", "spo2", "97"))
            .created()
            .get(0)
            .getIdPart();
    // Another replica merges a value: had a cached a version-less copy, it would overwrite this.
    FhirTestSupport.write(
        FhirTestSupport.creatingWriter(DIRECT),
        measurement("spo2", device, patient, "2021-07-07T17:00:01Z", "spo2", "96"));

    WriteReport report =
        FhirTestSupport.write(
            a, measurement("spo2", device, patient, "2021-07-07T17:00:02Z", "spo2", "95"));

    assertThat(report.rejected()).isEmpty();
    assertThat(report.updated()).extracting(Observation::getIdPart).containsExactly(id);
    assertThat(data(id)).startsWith("97 96 95 E");
  }

  @Test
  void anExistingObservationReadWithoutAVersionIsRejectedRatherThanUpdatedWithoutIfMatch() {
    String device = unique("unversioned");
    String patient = unique("mrn");
    String id = create(measurement("spo2", device, patient, "2021-07-07T17:00:00Z", "spo2", "97"));
    ObservationWriter writer = warmWriter(device, patient);
    proxy.rewriteNext(1, body -> body); // the create sent without reading, refused
    proxy.rewriteNext(
        1,
        bundle(
            b ->
                b.getEntry()
                    .forEach(
                        e -> {
                          e.getResource().getMeta().setVersionIdElement(null);
                          e.getResource().setId(e.getResource().getIdElement().getIdPart());
                          e.getResponse().setEtag(null);
                        })));

    WriteReport report =
        FhirTestSupport.write(
            writer, measurement("spo2", device, patient, "2021-07-07T17:00:02Z", "spo2", "95"));

    assertThat(report.updated()).isEmpty();
    assertThat(report.rejected())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.error()).isInstanceOf(FhirResourceRejectedException.class);
              assertThat(r.error().getMessage())
                  .contains("Observation/" + id + " without a version")
                  .contains("not updated without If-Match");
            });
    assertThat(data(id)).startsWith("97 E E");
    assertThat(stored(id).orElseThrow().getMeta().getVersionId()).isEqualTo("1");
  }

  @Test
  void aCreateAfterAStaleAbsentReadDoesNotOverwriteTheObservationAConcurrentWriterCreated() {
    String device = unique("late-creator");
    String patient = unique("mrn");
    String id = create(measurement("spo2", device, patient, "2021-07-07T17:00:01Z", "spo2", "96"));
    ObservationWriter writer = warmWriter(device, patient);
    // The read answers as it would have just before the other writer created the Observation.
    proxy.rewriteNext(
        1,
        bundle(
            b ->
                b.getEntry()
                    .replaceAll(
                        e ->
                            names(e, id)
                                ? new Bundle.BundleEntryComponent()
                                    .setResponse(
                                        new Bundle.BundleEntryResponseComponent()
                                            .setStatus("404 Not Found"))
                                : e)));

    WriteReport report =
        FhirTestSupport.write(
            writer, measurement("spo2", device, patient, "2021-07-07T17:00:02Z", "spo2", "95"));

    assertThat(report.rejected()).isEmpty();
    assertThat(report.created()).isEmpty();
    assertThat(report.updated()).extracting(Observation::getIdPart).containsExactly(id);
    assertThat(data(id)).startsWith("E 96 95 E");
    assertThat(stored(id).orElseThrow().getMeta().getVersionId()).isEqualTo("2");
  }
}
