package io.iomt.fhir;

import static io.iomt.fhir.FhirTestSupport.groups;
import static io.iomt.fhir.FhirTestSupport.measurement;
import static io.iomt.fhir.FhirTestSupport.registerDevice;
import static io.iomt.fhir.FhirTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iomt.core.error.DeviceNotFoundException;
import io.iomt.core.error.FhirResourceNotFoundException;
import io.iomt.core.error.FhirResourceRejectedException;
import io.iomt.core.error.PatientDeviceMismatchException;
import io.iomt.core.error.ResourceIdentityNotDefinedException;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.observation.GroupKey;
import io.iomt.core.observation.ObservationFactory;
import io.iomt.fhir.identity.IdentityResolver;
import io.iomt.fhir.identity.ResolutionType;
import io.iomt.fhir.write.BundleMode;
import io.iomt.fhir.write.FhirObservationWriter;
import io.iomt.fhir.write.ObservationWriter;
import io.iomt.fhir.write.WriteReport;
import io.iomt.testkit.FaultInjectingProxy;
import io.iomt.testkit.HapiFhirServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Identity resolution and Observation writes against a real HAPI FHIR JPA server. */
class FhirWriteIT {
  static HapiFhirServer server;
  static FhirResources fhir;

  @BeforeAll
  static void startServer() {
    server = HapiFhirServer.shared();
    fhir = FhirTestSupport.resources(server.baseUrl());
  }

  private static Observation read(String id) {
    FhirTestSupport.assertOk(fhir.http().get("Observation/" + id));
    return FhirResources.parse(fhir.http().get("Observation/" + id).body(), Observation.class);
  }

  private static int count(String query) {
    return FhirResources.parse(fhir.http().get(query + "&_summary=count").body(), Bundle.class)
        .getTotal();
  }

  /**
   * Registers two devices, resolves the first, then deletes its Device and Patient while the
   * identity cache still holds them: writes for it are rejected by the server, the other's pass.
   */
  private static IdentityResolver resolverWithVanishedDevice(String doomed, String fine) {
    String[] ids = registerDevice(fhir, doomed, unique("mrn"));
    registerDevice(fhir, fine, unique("mrn"));
    IdentityResolver resolver = FhirTestSupport.resolver(fhir, ResolutionType.LOOKUP);
    resolver.resolve(new GroupKey("heartrate", doomed, null, null, null));
    FhirTestSupport.assertOk(fhir.http().send("DELETE", "Device/" + ids[1], null, Map.of()));
    FhirTestSupport.assertOk(fhir.http().send("DELETE", "Patient/" + ids[0], null, Map.of()));
    return resolver;
  }

  @Test
  void lookupFindsARegisteredDeviceAndItsPatient() {
    String device = unique("monitor");
    String[] ids = registerDevice(fhir, device, unique("mrn"));
    ObservationFactory.Subject s =
        FhirTestSupport.resolver(fhir, ResolutionType.LOOKUP)
            .resolve(new GroupKey("heartrate", device, null, null, null));
    assertThat(s).isEqualTo(new ObservationFactory.Subject(ids[0], ids[1], null));
  }

  @Test
  void lookupOfAnUnknownDeviceIsANonBlockingDeviceNotFound() {
    assertThatThrownBy(
            () ->
                FhirTestSupport.resolver(fhir, ResolutionType.LOOKUP)
                    .resolve(new GroupKey("heartrate", unique("ghost"), null, null, null)))
        .isInstanceOfSatisfying(
            DeviceNotFoundException.class, e -> assertThat(e.isBlocking()).isFalse())
        .hasMessageContaining("No Device with identifier ghost-");
  }

  @Test
  void createMakesOnePatientAndOneDeviceEvenForEightConcurrentWriters() throws Exception {
    String device = unique("new-device");
    String patient = unique("new-patient");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<ObservationFactory.Subject>> futures = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        IdentityResolver own = FhirTestSupport.resolver(fhir, ResolutionType.CREATE);
        Callable<ObservationFactory.Subject> task =
            () -> own.resolve(new GroupKey("heartrate", device, patient, null, null));
        futures.add(pool.submit(task));
      }
      List<ObservationFactory.Subject> subjects = new ArrayList<>();
      for (Future<ObservationFactory.Subject> f : futures) {
        subjects.add(f.get());
      }
      assertThat(subjects).allMatch(s -> s.equals(subjects.get(0)));
    } finally {
      pool.shutdownNow();
    }
    assertThat(count("Device?identifier=" + device)).isEqualTo(1);
    assertThat(count("Patient?identifier=" + patient)).isEqualTo(1);
  }

  @Test
  void createWithoutAPatientIdIsResourceIdentityNotDefined() {
    assertThatThrownBy(
            () ->
                FhirTestSupport.resolver(fhir, ResolutionType.CREATE)
                    .resolve(new GroupKey("heartrate", unique("lonely"), null, null, null)))
        .isInstanceOf(ResourceIdentityNotDefinedException.class);
  }

  @Test
  void aDeviceLinkedToAnotherPatientIsAPatientDeviceMismatch() {
    String device = unique("shared-device");
    registerDevice(fhir, device, unique("first-patient"));
    assertThatThrownBy(
            () ->
                FhirTestSupport.resolver(fhir, ResolutionType.CREATE)
                    .resolve(
                        new GroupKey("heartrate", device, unique("other-patient"), null, null)))
        .isInstanceOf(PatientDeviceMismatchException.class)
        .hasMessageContaining("is linked to Patient/");
  }

  @Test
  void encountersAreLinkedByIdentifierAndAMissingOneIsReported() {
    String device = unique("bedside");
    registerDevice(fhir, device, unique("mrn"));
    Encounter enc = new Encounter();
    enc.setId(unique("enc"));
    enc.setStatus(Encounter.EncounterStatus.INPROGRESS);
    enc.getClass_().setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode").setCode("IMP");
    String visit = unique("visit");
    enc.addIdentifier().setValue(visit);
    FhirTestSupport.assertOk(fhir.put(enc, null));
    IdentityResolver resolver =
        FhirTestSupport.resolver(fhir, ResolutionType.LOOKUP_WITH_ENCOUNTER);
    assertThat(resolver.resolve(new GroupKey("hr", device, null, visit, null)).encounterId())
        .isEqualTo(enc.getIdElement().getIdPart());
    assertThatThrownBy(
            () -> resolver.resolve(new GroupKey("hr", device, null, "no-such-visit", null)))
        .isInstanceOf(FhirResourceNotFoundException.class);
    assertThatThrownBy(() -> resolver.resolve(new GroupKey("hr", device, null, null, null)))
        .isInstanceOf(ResourceIdentityNotDefinedException.class);
  }

  @Test
  void oneFlushResolvedInBatchesGivesEachGroupItsOwnErrorAndWritesTheOthers() {
    String fresh = unique("fresh");
    String freshPatient = unique("mrn");
    String taken = unique("taken");
    registerDevice(fhir, taken, unique("first-patient"));
    String bedside = unique("bedside");
    registerDevice(fhir, bedside, unique("mrn"));
    String orphan = unique("orphan");
    String visit = unique("visit");
    WriteReport report =
        FhirTestSupport.creatingWriter(fhir)
            .write(
                groups(
                    FhirTestSupport.SAMPLE_MAPPING,
                    List.of(
                        measurement(
                            "heartrate", fresh, freshPatient, "2021-07-07T17:00:00Z", "hr", "60"),
                        measurement(
                            "heartrate",
                            taken,
                            unique("other"),
                            "2021-07-07T17:00:00Z",
                            "hr",
                            "61"),
                        withEncounter(
                            measurement(
                                "heartrate", bedside, null, "2021-07-07T17:00:00Z", "hr", "62"),
                            "no-such-" + visit),
                        measurement(
                            "heartrate", orphan, null, "2021-07-07T17:00:00Z", "hr", "63"))));

    assertThat(report.created())
        .singleElement()
        .satisfies(
            o ->
                assertThat(o.getSubject().getReference())
                    .isEqualTo(
                        "Patient/"
                            + io.iomt.core.observation.ResourceIds.of(
                                "Patient", null, freshPatient)));
    Map<String, Exception> errors = new java.util.HashMap<>();
    report.rejected().forEach(r -> errors.put(r.group().key().deviceId(), r.error()));
    assertThat(errors).containsOnlyKeys(taken, bedside, orphan);
    assertThat(errors.get(taken))
        .isInstanceOf(PatientDeviceMismatchException.class)
        .hasMessageStartingWith("Device '" + taken + "' is linked to Patient/");
    assertThat(errors.get(bedside))
        .isInstanceOf(FhirResourceNotFoundException.class)
        .hasMessage("No Encounter with identifier no-such-" + visit + " on " + fhir.http().base());
    assertThat(errors.get(orphan))
        .isInstanceOf(ResourceIdentityNotDefinedException.class)
        .hasMessage(
            "Device '"
                + orphan
                + "' does not exist and cannot be created without a patient id; map"
                + " patientIdExpression in the device mapping");
  }

  private static Measurement withEncounter(Measurement m, String encounterId) {
    return new Measurement(
        m.type(),
        m.occurrenceTimeUtc(),
        m.ingestionTimeUtc(),
        m.deviceId(),
        m.patientId(),
        encounterId,
        m.correlationId(),
        m.properties());
  }

  @Test
  void aBatchSearchAnswerMissingAnEntryIsSearchedAgainAloneNotTakenAsAnUnknownDevice() {
    String first = unique("listed");
    String second = unique("left-out");
    String[] ids = registerDevice(fhir, second, unique("mrn"));
    registerDevice(fhir, first, unique("mrn"));
    try (FaultInjectingProxy proxy = FaultInjectingProxy.start(server.baseUrl())) {
      IdentityResolver resolver =
          FhirTestSupport.resolver(
              FhirTestSupport.resources(proxy.baseUrl()), ResolutionType.LOOKUP);
      proxy.rewriteNext(
          1,
          body -> {
            Bundle b = FhirResources.parse(body, Bundle.class);
            b.getEntry().remove(1);
            return FhirResources.encode(b);
          });

      Map<GroupKey, io.iomt.fhir.identity.Resolution> resolved =
          resolver.resolveAll(
              List.of(
                  new GroupKey("hr", first, null, null, null),
                  new GroupKey("hr", second, null, null, null)));

      assertThat(resolved.get(new GroupKey("hr", second, null, null, null)))
          .isEqualTo(
              new io.iomt.fhir.identity.Resolution.Resolved(
                  new ObservationFactory.Subject(ids[0], ids[1], null)));
      assertThat(resolved.get(new GroupKey("hr", first, null, null, null)))
          .isInstanceOf(io.iomt.fhir.identity.Resolution.Resolved.class);
      assertThat(proxy.requests())
          .extracting(FaultInjectingProxy.ForwardedRequest::method)
          .containsExactly("POST", "GET");
    }
  }

  @Test
  void everyValueTypeIsWrittenAndReadBack() {
    String device = unique("multi");
    String patient = unique("mrn");
    ObservationWriter writer = FhirTestSupport.creatingWriter(fhir);
    WriteReport report =
        FhirTestSupport.write(
            writer,
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
    assertThat(report.rejected()).isEmpty();
    assertThat(report.created()).hasSize(3);
    Map<String, Observation> byType = new java.util.HashMap<>();
    report.created().forEach(o -> byType.put(o.getCode().getText(), read(o.getIdPart())));
    assertThat(byType.get("heartrate").getValueQuantity().getValue()).isEqualByComparingTo("72");
    assertThat(byType.get("bloodpressure").getComponent()).hasSize(2);
    assertThat(byType.get("spo2").getValueSampledData().getData()).startsWith("E 97 E");
    assertThat(byType.get("spo2").getSubject().getReference()).startsWith("Patient/");
    assertThat(byType.get("spo2").getDevice().getReference()).startsWith("Device/");
  }

  @Test
  void sampledDataMergesAcrossTwoSeparateWritesAndAReplayCreatesNoNewVersion() {
    String device = unique("oximeter");
    String patient = unique("mrn");
    List<Measurement> first =
        List.of(measurement("spo2", device, patient, "2021-07-07T17:00:00Z", "spo2", "97"));
    List<Measurement> second =
        List.of(measurement("spo2", device, patient, "2021-07-07T17:00:02Z", "spo2", "95"));
    String id =
        FhirTestSupport.creatingWriter(fhir)
            .write(groups(FhirTestSupport.SAMPLE_MAPPING, first))
            .created()
            .get(0)
            .getIdPart();
    // A fresh writer (another replica, or after a restart) has no cache: it must read and merge.
    WriteReport merged =
        FhirTestSupport.creatingWriter(fhir).write(groups(FhirTestSupport.SAMPLE_MAPPING, second));
    assertThat(merged.updated()).hasSize(1);
    Observation stored = read(id);
    assertThat(stored.getValueSampledData().getData()).startsWith("97 E 95 E");
    assertThat(stored.getStatus()).isEqualTo(Observation.ObservationStatus.AMENDED);
    String version = stored.getMeta().getVersionId();

    WriteReport replay =
        FhirTestSupport.creatingWriter(fhir).write(groups(FhirTestSupport.SAMPLE_MAPPING, second));
    assertThat(replay.unchanged()).hasSize(1);
    assertThat(replay.created()).isEmpty();
    assertThat(replay.updated()).isEmpty();
    assertThat(read(id).getMeta().getVersionId()).isEqualTo(version);
  }

  @Test
  void aStaleCachedVersionMeetsA412AndIsReReadAndMergedInsteadOfOverwritten() {
    String device = unique("contended");
    String patient = unique("mrn");
    ObservationWriter a = FhirTestSupport.creatingWriter(fhir);
    ObservationWriter b = FhirTestSupport.creatingWriter(fhir);
    String id =
        FhirTestSupport.write(
                a, measurement("spo2", device, patient, "2021-07-07T17:00:00Z", "spo2", "97"))
            .created()
            .get(0)
            .getIdPart();
    // Another replica updates the Observation: a's cached version is now stale.
    FhirTestSupport.write(
        b, measurement("spo2", device, patient, "2021-07-07T17:00:01Z", "spo2", "96"));
    WriteReport report =
        FhirTestSupport.write(
            a, measurement("spo2", device, patient, "2021-07-07T17:00:02Z", "spo2", "95"));
    assertThat(report.updated()).hasSize(1);
    assertThat(report.rejected()).isEmpty();
    Observation stored = read(id);
    assertThat(stored.getValueSampledData().getData()).startsWith("97 96 95 E");
    assertThat(stored.getMeta().getVersionId()).isEqualTo("3");
  }

  @Test
  void a429AndA503InFrontOfTheServerAreRetriedHonouringRetryAfter() {
    try (FaultInjectingProxy proxy = FaultInjectingProxy.start(server.baseUrl())) {
      List<Duration> sleeps = new ArrayList<>();
      FhirResources viaProxy = FhirTestSupport.resources(proxy.baseUrl(), sleeps);
      String device = unique("flaky");
      proxy.failNext(1, 429, Duration.ofSeconds(7));
      proxy.failNext(1, 503, null);
      WriteReport report =
          FhirTestSupport.write(
              FhirTestSupport.creatingWriter(viaProxy),
              measurement("heartrate", device, unique("mrn"), "2021-07-07T17:00:00Z", "hr", "60"));
      assertThat(report.created()).hasSize(1);
      assertThat(proxy.faultCount()).isEqualTo(2);
      assertThat(sleeps).hasSize(2);
      assertThat(sleeps.get(0)).isGreaterThanOrEqualTo(Duration.ofSeconds(7));
    }
  }

  @Test
  void aServerThatStaysUnavailableIsABlockingErrorAndNothingIsReportedWritten() {
    try (FaultInjectingProxy proxy = FaultInjectingProxy.start(server.baseUrl())) {
      List<Duration> sleeps = new ArrayList<>();
      FhirResources viaProxy = FhirTestSupport.resources(proxy.baseUrl(), sleeps);
      proxy.failNext(100, 503, null);
      ObservationWriter writer = FhirTestSupport.creatingWriter(viaProxy);
      assertThatThrownBy(
              () ->
                  FhirTestSupport.write(
                      writer,
                      measurement(
                          "heartrate",
                          unique("down"),
                          unique("mrn"),
                          "2021-07-07T17:00:00Z",
                          "hr",
                          "60")))
          .isInstanceOfSatisfying(
              io.iomt.core.error.FhirServiceUnavailableException.class,
              e -> assertThat(e.isBlocking()).isTrue())
          .hasMessageContaining("is unavailable")
          .hasMessageContaining("failed 6 times, last with HTTP 503");
      assertThat(sleeps).hasSize(5);
    }
  }

  @Test
  void aRefusedTokenIsRefreshedOnceThenReportedAsBlockingWithoutTheToken() {
    try (FaultInjectingProxy proxy = FaultInjectingProxy.start(server.baseUrl())) {
      AtomicInteger invalidations = new AtomicInteger();
      io.iomt.fhir.auth.TokenProvider tokens =
          new io.iomt.fhir.auth.TokenProvider() {
            @Override
            public java.util.Optional<String> token() {
              return java.util.Optional.of("tok-" + invalidations.get());
            }

            @Override
            public void invalidate() {
              invalidations.incrementAndGet();
            }
          };
      FhirResources viaProxy =
          new FhirResources(
              new io.iomt.fhir.http.FhirHttp(
                  java.net.URI.create(proxy.baseUrl()),
                  tokens,
                  io.iomt.fhir.http.RetryPolicy.DEFAULT,
                  d -> {},
                  Duration.ofSeconds(30)));
      proxy.failNext(1, 401, null);
      assertThat(viaProxy.http().get("metadata").status()).isEqualTo(200);
      assertThat(invalidations).hasValue(1);
      proxy.failNext(2, 403, null);
      assertThatThrownBy(() -> viaProxy.http().get("metadata"))
          .isInstanceOfSatisfying(
              io.iomt.core.error.UnauthorizedAccessFhirServiceException.class,
              e -> assertThat(e.isBlocking()).isTrue())
          .hasMessageContaining("refused the connector's credentials (HTTP 403)")
          .hasMessageNotContaining("tok-");
    }
  }

  @Test
  void anObservationTheServerRejectsFailsAloneWithTheServersReason() {
    String doomed = unique("doomed");
    String fine = unique("fine");
    IdentityResolver resolver = resolverWithVanishedDevice(doomed, fine);
    WriteReport report =
        FhirTestSupport.write(
            FhirTestSupport.writer(fhir, resolver),
            measurement("heartrate", doomed, null, "2021-07-07T17:00:00Z", "hr", "60"),
            measurement("heartrate", fine, null, "2021-07-07T17:00:00Z", "hr", "61"));
    assertThat(report.created()).hasSize(1);
    assertThat(report.rejected())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.group().key().deviceId()).isEqualTo(doomed);
              assertThat(r.error()).isInstanceOf(FhirResourceRejectedException.class);
              assertThat(r.error().getMessage())
                  .contains("rejected Observation/")
                  .contains("400 Bad Request")
                  .contains("is deleted, specified in path: Observation.");
              assertThat(r.error().isBlocking()).isFalse();
            });
  }

  @Test
  void aTransactionThatTheServerRejectsFallsBackToPerEntryOutcomes() {
    String doomed = unique("tx-doomed");
    String fine = unique("tx-fine");
    IdentityResolver resolver = resolverWithVanishedDevice(doomed, fine);
    ObservationWriter tx =
        new FhirObservationWriter(
            fhir,
            resolver,
            new ObservationFactory(Clock.systemUTC()),
            new FhirObservationWriter.Config(
                BundleMode.TRANSACTION, 500, 5, Duration.ofMinutes(10), 1000),
            com.github.benmanes.caffeine.cache.Ticker.systemTicker());
    WriteReport report =
        FhirTestSupport.write(
            tx,
            measurement("heartrate", doomed, null, "2021-07-07T17:00:00Z", "hr", "60"),
            measurement("heartrate", fine, null, "2021-07-07T17:00:00Z", "hr", "61"));
    assertThat(report.created()).hasSize(1);
    assertThat(report.rejected())
        .singleElement()
        .satisfies(r -> assertThat(r.group().key().deviceId()).isEqualTo(doomed));
  }

  @Test
  void aThousandMeasurementsOfTenDevicesTakeAtMostTenRequestsWithWarmCaches() {
    try (FaultInjectingProxy proxy = FaultInjectingProxy.start(server.baseUrl())) {
      FhirResources viaProxy = FhirTestSupport.resources(proxy.baseUrl());
      IdentityResolver resolver = FhirTestSupport.resolver(viaProxy, ResolutionType.CREATE);
      ObservationWriter writer = FhirTestSupport.writer(viaProxy, resolver);
      List<String> devices = new ArrayList<>();
      for (int d = 0; d < 10; d++) {
        devices.add(unique("load-device"));
        resolver.resolve(
            new GroupKey("heartrate", devices.get(d), "mrn-" + devices.get(d), null, null));
      }
      List<Measurement> hourly = new ArrayList<>();
      List<Measurement> single = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        for (String device : devices) {
          String t = java.time.Instant.parse("2021-07-07T17:00:00Z").plusSeconds(i).toString();
          hourly.add(
              measurement(
                  "spo2", device, "mrn-" + device, t, "spo2", Integer.toString(90 + i % 10)));
          single.add(
              measurement(
                  "heartrate", device, "mrn-" + device, t, "hr", Integer.toString(60 + i % 30)));
        }
      }
      proxy.resetCounts();
      WriteReport sampled = writer.write(groups(FhirTestSupport.SAMPLE_MAPPING, hourly));
      int sampledRequests = proxy.requestCount();
      proxy.resetCounts();
      WriteReport quantities = writer.write(groups(FhirTestSupport.SAMPLE_MAPPING, single));
      int quantityRequests = proxy.requestCount();
      assertThat(sampled.created()).hasSize(10);
      assertThat(quantities.created()).hasSize(1000);
      assertThat(sampledRequests).isLessThanOrEqualTo(10);
      assertThat(quantityRequests).isLessThanOrEqualTo(10);
      System.out.printf(
          "requests for 1000 measurements of 10 devices, warm identity cache: hourly SampledData %d,"
              + " single Quantity %d%n",
          sampledRequests, quantityRequests);
    }
  }
}
