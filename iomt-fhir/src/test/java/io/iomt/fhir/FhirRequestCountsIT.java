package io.iomt.fhir;

import static io.iomt.fhir.FhirTestSupport.groups;
import static io.iomt.fhir.FhirTestSupport.measurement;
import static io.iomt.fhir.FhirTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.core.measurement.Measurement;
import io.iomt.core.observation.GroupKey;
import io.iomt.core.observation.ResourceIds;
import io.iomt.fhir.identity.IdentityResolver;
import io.iomt.fhir.identity.ResolutionType;
import io.iomt.fhir.write.ObservationWriter;
import io.iomt.fhir.write.WriteReport;
import io.iomt.testkit.FaultInjectingProxy;
import io.iomt.testkit.HapiFhirServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How many requests reach the real HAPI FHIR JPA server (counted by the testkit's {@link
 * FaultInjectingProxy}) for 1,000 measurements: new data, a replay of existing data, and a cold
 * start with 1,000 new devices. Request counts are deterministic, so they are asserted exactly; the
 * figures are printed for docs/benchmarks.md.
 */
class FhirRequestCountsIT {
  private static final HapiFhirServer SERVER = HapiFhirServer.shared();

  private FaultInjectingProxy proxy;
  private FhirResources viaProxy;

  @BeforeEach
  void startProxy() {
    proxy = FaultInjectingProxy.start(SERVER.baseUrl());
    viaProxy = FhirTestSupport.resources(proxy.baseUrl());
  }

  @AfterEach
  void closeProxy() {
    proxy.close();
  }

  /** 1,000 single-Quantity heart rates: 100 seconds of 10 devices, one Observation each. */
  private static List<Measurement> thousandHeartRates(List<String> devices) {
    List<Measurement> out = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String t = Instant.parse("2021-07-07T17:00:00Z").plusSeconds(i).toString();
      for (String device : devices) {
        out.add(
            measurement("heartrate", device, "mrn-" + device, t, "hr", Integer.toString(60 + i)));
      }
    }
    return out;
  }

  private IdentityResolver warmResolver(List<String> devices) {
    IdentityResolver resolver = FhirTestSupport.resolver(viaProxy, ResolutionType.CREATE);
    for (String device : devices) {
      resolver.resolve(new GroupKey("heartrate", device, "mrn-" + device, null, null));
    }
    return resolver;
  }

  private static List<String> devices(int n, String prefix) {
    List<String> out = new ArrayList<>();
    for (int d = 0; d < n; d++) {
      out.add(unique(prefix));
    }
    return out;
  }

  @Test
  void newDataTakesOneRequestPerChunkOf500AndAReplayOfTwoChunksThree() {
    List<String> devices = devices(10, "count-device");
    List<Measurement> data = thousandHeartRates(devices);
    IdentityResolver resolver = warmResolver(devices);

    proxy.resetCounts();
    WriteReport created =
        FhirTestSupport.writer(viaProxy, resolver)
            .write(groups(FhirTestSupport.SAMPLE_MAPPING, data));
    int newData = proxy.requestCount();
    proxy.resetCounts();
    WriteReport replayed =
        FhirTestSupport.writer(viaProxy, resolver)
            .write(groups(FhirTestSupport.SAMPLE_MAPPING, data));
    int replay = proxy.requestCount();

    assertThat(created.created()).hasSize(1000);
    assertThat(replayed.unchanged()).hasSize(1000);
    // One blind create per chunk; the replay's first chunk is refused and read (2), after which
    // the writer reads first (1).
    assertThat(newData).isEqualTo(2);
    assertThat(replay).isEqualTo(3);
    assertThat(proxy.requests())
        .extracting(FaultInjectingProxy.ForwardedRequest::method)
        .containsOnly("POST");
    System.out.printf(
        "requests for 1000 measurements of 10 devices, warm identity cache, cold Observation"
            + " cache: new data %d, replay of existing data %d%n",
        newData, replay);
  }

  @Test
  void aColdStartWithAThousandNewDevicesResolvesTheirIdentitiesInAFewRequests() {
    List<String> devices = devices(1000, "cold-device");
    List<Measurement> data = new ArrayList<>();
    for (String device : devices) {
      data.add(
          measurement("heartrate", device, "mrn-" + device, "2021-07-07T17:00:00Z", "hr", "70"));
    }
    ObservationWriter writer = FhirTestSupport.creatingWriter(viaProxy);

    proxy.resetCounts();
    WriteReport report = writer.write(groups(FhirTestSupport.SAMPLE_MAPPING, data));
    int total = proxy.requestCount();

    assertThat(report.rejected()).isEmpty();
    assertThat(report.created()).hasSize(1000);
    // Two chunks each of Device searches, Patient searches, Patient PUTs, Device PUTs; then two
    // chunks of Observation creates.
    assertThat(total).isEqualTo(10);
    for (Observation o : report.created()) {
      String identifier = deviceIdentifier(o.getDevice().getReference(), devices);
      assertThat(o.getSubject().getReference())
          .isEqualTo("Patient/" + ResourceIds.of("Patient", null, "mrn-" + identifier));
    }
    assertThat(count("Device?identifier=" + devices.get(999))).isEqualTo(1);
    assertThat(count("Patient?identifier=mrn-" + devices.get(999))).isEqualTo(1);
    System.out.printf(
        "requests for 1000 measurements of 1000 new devices, Create, cold caches: %d%n", total);
  }

  private static String deviceIdentifier(String reference, List<String> identifiers) {
    for (String identifier : identifiers) {
      if (reference.equals("Device/" + ResourceIds.of("Device", null, identifier))) {
        return identifier;
      }
    }
    throw new AssertionError("no device of this run is " + reference);
  }

  private static int count(String query) {
    FhirResources direct = FhirTestSupport.resources(SERVER.baseUrl());
    return FhirResources.parse(direct.http().get(query + "&_summary=count").body(), Bundle.class)
        .getTotal();
  }

  @Test
  void aChunkWhereSomeObservationsExistCreatesTheRestAndMergesThoseKeepingBothValues() {
    List<String> devices = devices(10, "some-exist");
    IdentityResolver resolver = warmResolver(devices);
    List<Measurement> earlier = new ArrayList<>();
    List<Measurement> now = new ArrayList<>();
    for (int d = 0; d < devices.size(); d++) {
      String device = devices.get(d);
      if (d < 4) {
        earlier.add(
            measurement("spo2", device, "mrn-" + device, "2021-07-07T17:00:00Z", "spo2", "97"));
      }
      now.add(measurement("spo2", device, "mrn-" + device, "2021-07-07T17:00:02Z", "spo2", "95"));
    }
    FhirTestSupport.writer(viaProxy, resolver)
        .write(groups(FhirTestSupport.SAMPLE_MAPPING, earlier));

    proxy.resetCounts();
    WriteReport report =
        FhirTestSupport.writer(viaProxy, resolver)
            .write(groups(FhirTestSupport.SAMPLE_MAPPING, now));

    assertThat(report.rejected()).isEmpty();
    assertThat(report.created()).hasSize(6);
    assertThat(report.updated()).hasSize(4);
    // The blind creates (1), the read of the 4 refused (1), their merged updates (1).
    assertThat(proxy.requestCount()).isEqualTo(3);
    FhirResources direct = FhirTestSupport.resources(SERVER.baseUrl());
    for (Observation o : report.updated()) {
      Observation stored =
          FhirResources.parse(
              direct.http().get("Observation/" + o.getIdPart()).body(), Observation.class);
      assertThat(stored.getValueSampledData().getData()).startsWith("97 E 95 E");
      assertThat(stored.getMeta().getVersionId()).isEqualTo("2");
    }
    for (Observation o : report.created()) {
      assertThat(o.getValueSampledData().getData()).startsWith("E E 95 E");
    }
  }
}
