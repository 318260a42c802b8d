package io.iomt.fhir;

import com.github.benmanes.caffeine.cache.Ticker;
import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.measurement.Measurement;
import io.iomt.core.measurement.MeasurementProperty;
import io.iomt.core.observation.Grouper;
import io.iomt.core.observation.ObservationFactory;
import io.iomt.core.observation.ObservationGroup;
import io.iomt.fhir.auth.TokenProvider;
import io.iomt.fhir.http.FhirHttp;
import io.iomt.fhir.http.RetryPolicy;
import io.iomt.fhir.identity.IdentityResolver;
import io.iomt.fhir.identity.ResolutionType;
import io.iomt.fhir.write.FhirObservationWriter;
import io.iomt.fhir.write.ObservationWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/** Building blocks for integration tests against the testkit's HAPI server. */
final class FhirTestSupport {
  static final FhirMapping SAMPLE_MAPPING = sampleMapping();

  private FhirTestSupport() {}

  private static FhirMapping sampleMapping() {
    try {
      Path samples = Path.of("").toAbsolutePath().getParent().resolve("samples");
      return FhirMapping.parse(Files.readAllBytes(samples.resolve("fhir-mapping.json")));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** No sleeping between retries: tests check behaviour, not wall-clock waits. */
  static FhirResources resources(String baseUrl, List<Duration> sleeps) {
    FhirHttp http =
        new FhirHttp(
            URI.create(baseUrl),
            TokenProvider.none(),
            RetryPolicy.DEFAULT,
            sleeps::add,
            Duration.ofSeconds(30));
    return new FhirResources(http);
  }

  static FhirResources resources(String baseUrl) {
    return resources(baseUrl, new ArrayList<>());
  }

  static IdentityResolver resolver(FhirResources fhir, ResolutionType type) {
    return new IdentityResolver(fhir, IdentityResolver.Config.of(type), Ticker.systemTicker());
  }

  static FhirObservationWriter writer(FhirResources fhir, IdentityResolver identities) {
    return new FhirObservationWriter(
        fhir,
        identities,
        new ObservationFactory(Clock.systemUTC()),
        FhirObservationWriter.Config.DEFAULT,
        Ticker.systemTicker());
  }

  /** A writer that resolves identities with Create, as a fresh connector replica would. */
  static FhirObservationWriter creatingWriter(FhirResources fhir) {
    return writer(fhir, resolver(fhir, ResolutionType.CREATE));
  }

  /** Groups measurements with the sample FHIR mapping and writes them. */
  static io.iomt.fhir.write.WriteReport write(
      ObservationWriter writer, Measurement... measurements) {
    return writer.write(groups(SAMPLE_MAPPING, List.of(measurements)));
  }

  static List<ObservationGroup> groups(FhirMapping mapping, List<Measurement> measurements) {
    Grouper.Result r = Grouper.group(measurements, mapping);
    if (!r.failures().isEmpty()) {
      throw new AssertionError("grouping failed: " + r.failures());
    }
    return r.groups();
  }

  static Measurement measurement(
      String type, String device, String patient, String time, String... nameValues) {
    List<MeasurementProperty> props = new ArrayList<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      props.add(new MeasurementProperty(nameValues[i], nameValues[i + 1]));
    }
    return new Measurement(
        type, Instant.parse(time), Instant.parse(time), device, patient, null, null, props);
  }

  /** A Patient and a Device linked to it, as a hospital would have registered them. */
  static String[] registerDevice(
      FhirResources fhir, String deviceIdentifier, String patientIdentifier) {
    Patient p = new Patient();
    p.setId(unique("pat"));
    p.addIdentifier().setValue(patientIdentifier);
    assertOk(fhir.put(p, null));
    Device d = new Device();
    d.setId(unique("dev"));
    d.addIdentifier().setValue(deviceIdentifier);
    d.setPatient(new Reference("Patient/" + p.getIdElement().getIdPart()));
    assertOk(fhir.put(d, null));
    return new String[] {p.getIdElement().getIdPart(), d.getIdElement().getIdPart()};
  }

  static void assertOk(FhirHttp.Response r) {
    if (!r.isSuccess()) {
      throw new AssertionError("HTTP " + r.status() + ": " + r.body());
    }
  }
}
