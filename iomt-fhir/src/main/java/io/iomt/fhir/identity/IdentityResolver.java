package io.iomt.fhir.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.iomt.core.error.DeviceNotFoundException;
import io.iomt.core.error.FhirResourceNotFoundException;
import io.iomt.core.error.FhirResourceRejectedException;
import io.iomt.core.error.PatientDeviceMismatchException;
import io.iomt.core.error.PatientNotFoundException;
import io.iomt.core.error.ResourceIdentityNotDefinedException;
import io.iomt.core.observation.GroupKey;
import io.iomt.core.observation.ObservationFactory.Subject;
import io.iomt.core.observation.ResourceIds;
import io.iomt.fhir.FhirResources;
import io.iomt.fhir.http.FhirHttp;
import java.time.Duration;
import java.util.Optional;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * Resolves the Patient, Device and Encounter a group of measurements belongs to (REFERENCE.md §3),
 * with a cache bounded in size and age: a Device→Patient link is reused for at most {@link
 * Config#cacheTtl()} (5 minutes by default), never hours. Failures are not cached. Created Patients
 * and Devices get ids derived from their identifiers ({@link ResourceIds}), so concurrent writers
 * resolving the same new device converge on one Patient and one Device. Thread-safe.
 */
public final class IdentityResolver {
  /**
   * @param deviceSystem identifier system of Device.identifier (null: match the value alone)
   * @param patientSystem identifier system of Patient.identifier (null: value alone)
   * @param encounterSystem identifier system of Encounter.identifier (null: value alone)
   */
  public record Config(
      ResolutionType type,
      String deviceSystem,
      String patientSystem,
      String encounterSystem,
      Duration cacheTtl,
      long cacheSize) {
    public static Config of(ResolutionType type) {
      return new Config(type, null, null, null, Duration.ofMinutes(5), 10_000);
    }
  }

  private record Key(String deviceId, String patientId, String encounterId) {}

  private static final int PUT_ATTEMPTS = 3;

  private final FhirResources fhir;
  private final Config config;
  private final Cache<Key, Subject> cache;

  public IdentityResolver(FhirResources fhir, Config config, Ticker ticker) {
    this.fhir = fhir;
    this.config = config;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(config.cacheSize())
            .expireAfterWrite(config.cacheTtl())
            .ticker(ticker)
            .build();
  }

  /** Resolves a group's identities; throws a non-blocking data error when it cannot. */
  public Subject resolve(GroupKey group) {
    if (config.type() == ResolutionType.LOOKUP_WITH_ENCOUNTER && blank(group.encounterId())) {
      throw new ResourceIdentityNotDefinedException(
          "LookupWithEncounter needs an encounter id, but the measurement of device '"
              + group.deviceId()
              + "' has none; map encounterIdExpression in the device mapping");
    }
    Key key = new Key(group.deviceId(), group.patientId(), group.encounterId());
    Subject cached = cache.getIfPresent(key);
    if (cached != null) {
      return cached;
    }
    Subject subject = resolveUncached(key);
    cache.put(key, subject);
    return subject;
  }

  /** Forgets cached identities (e.g. after a Device was re-linked by hand). */
  public void invalidateAll() {
    cache.invalidateAll();
  }

  private Subject resolveUncached(Key key) {
    Optional<Device> device =
        fhir.findByIdentifier(Device.class, config.deviceSystem(), key.deviceId());
    String patientId;
    String deviceId;
    if (device.isPresent()) {
      deviceId = device.get().getIdElement().getIdPart();
      patientId = linkedPatient(device.get(), key);
    } else if (config.type() == ResolutionType.CREATE) {
      if (blank(key.patientId())) {
        throw new ResourceIdentityNotDefinedException(
            "Device '"
                + key.deviceId()
                + "' does not exist and cannot be created without a patient id; map"
                + " patientIdExpression in the device mapping");
      }
      patientId = ensurePatient(key.patientId());
      deviceId = createDevice(key.deviceId(), patientId);
    } else {
      throw new DeviceNotFoundException(
          "No Device with identifier "
              + token(config.deviceSystem(), key.deviceId())
              + " on "
              + fhir.http().base()
              + " (resolution type "
              + config.type()
              + ")");
    }
    String encounterId = blank(key.encounterId()) ? null : encounter(key.encounterId());
    return new Subject(patientId, deviceId, encounterId);
  }

  private String linkedPatient(Device device, Key key) {
    Reference link = device.getPatient();
    if (link == null || !link.hasReference()) {
      throw new PatientNotFoundException(
          "Device '" + key.deviceId() + "' is not linked to a Patient (Device.patient is empty)");
    }
    String linkedId = link.getReferenceElement().getIdPart();
    if (config.type() == ResolutionType.CREATE && !blank(key.patientId())) {
      String expected = ResourceIds.of("Patient", config.patientSystem(), key.patientId());
      if (!linkedId.equals(expected)) {
        Optional<Patient> named =
            fhir.findByIdentifier(Patient.class, config.patientSystem(), key.patientId());
        if (named.isEmpty() || !named.get().getIdElement().getIdPart().equals(linkedId)) {
          throw deviceLinkedElsewhere(key.deviceId(), key.patientId(), linkedId);
        }
      }
    }
    return linkedId;
  }

  /**
   * The error for a Device linked to another Patient than the measurement names; shared with the
   * in-memory writer so that both say the same.
   */
  public static PatientDeviceMismatchException deviceLinkedElsewhere(
      String deviceIdentifier, String patientIdentifier, String linkedPatientId) {
    return new PatientDeviceMismatchException(
        "Device '"
            + deviceIdentifier
            + "' is linked to Patient/"
            + linkedPatientId
            + ", not to the patient '"
            + patientIdentifier
            + "' the measurement names");
  }

  private String ensurePatient(String patientIdentifier) {
    Optional<Patient> existing =
        fhir.findByIdentifier(Patient.class, config.patientSystem(), patientIdentifier);
    if (existing.isPresent()) {
      return existing.get().getIdElement().getIdPart();
    }
    Patient patient = new Patient();
    patient.setId(ResourceIds.of("Patient", config.patientSystem(), patientIdentifier));
    patient.addIdentifier().setSystem(config.patientSystem()).setValue(patientIdentifier);
    putCreate(patient, "Patient '" + patientIdentifier + "'");
    return patient.getIdElement().getIdPart();
  }

  private String createDevice(String deviceIdentifier, String patientId) {
    Device device = new Device();
    device.setId(ResourceIds.of("Device", config.deviceSystem(), deviceIdentifier));
    device.addIdentifier().setSystem(config.deviceSystem()).setValue(deviceIdentifier);
    device.setPatient(new Reference("Patient/" + patientId));
    putCreate(device, "Device '" + deviceIdentifier + "'");
    return device.getIdElement().getIdPart();
  }

  /**
   * PUT with the deterministic id. Two writers creating the same resource send identical content;
   * the loser of the race may see 409/412 and simply tries again (its PUT is then a no-op update).
   */
  private void putCreate(org.hl7.fhir.r4.model.Resource resource, String what) {
    for (int attempt = 1; ; attempt++) {
      FhirHttp.Response r = fhir.put(resource, null);
      if (r.isSuccess()) {
        return;
      }
      if ((r.status() == 409 || r.status() == 412) && attempt < PUT_ATTEMPTS) {
        continue;
      }
      throw new FhirResourceRejectedException(
          "Creating " + what + " failed with HTTP " + r.status() + FhirHttp.outcomeText(r.body()));
    }
  }

  private String encounter(String encounterIdentifier) {
    return fhir.findByIdentifier(Encounter.class, config.encounterSystem(), encounterIdentifier)
        .map(e -> e.getIdElement().getIdPart())
        .orElseThrow(
            () ->
                new FhirResourceNotFoundException(
                    "No Encounter with identifier "
                        + token(config.encounterSystem(), encounterIdentifier)
                        + " on "
                        + fhir.http().base()));
  }

  private static String token(String system, String value) {
    return (system == null ? "" : system + "|") + value;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
