package io.iomt.fhir.write;

import io.iomt.core.error.DeviceNotFoundException;
import io.iomt.core.error.FhirResourceNotFoundException;
import io.iomt.core.error.FhirServiceUnavailableException;
import io.iomt.core.error.ResourceIdentityNotDefinedException;
import io.iomt.core.error.UnauthorizedAccessFhirServiceException;
import io.iomt.core.observation.GroupKey;
import io.iomt.core.observation.ObservationFactory.Subject;
import io.iomt.core.observation.ResourceIds;
import io.iomt.fhir.identity.IdentityResolver;
import io.iomt.fhir.identity.ResolutionType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.Observation;

/**
 * The state behind {@link InMemoryObservationWriter}: Patients, Devices and Encounters by
 * identifier, Observations by id with a version each, and the failure a test switched on. Identity
 * resolution follows {@link IdentityResolver} rule for rule and message for message. Not
 * thread-safe: the writers guard it with its monitor.
 */
final class InMemoryFhir {
  /** What the next writes meet. */
  enum Failure {
    NONE,
    UNAVAILABLE,
    UNAUTHORIZED
  }

  /** How error messages name this store, where the FHIR writer names the server's base URL. */
  static final String BASE = "memory:fhir/";

  private final Map<String, String> patients = new HashMap<>();
  private final Map<String, Device> devices = new HashMap<>();
  private final Map<String, String> encounters = new HashMap<>();
  private final Map<String, Observation> observations = new TreeMap<>();
  private Failure failure = Failure.NONE;
  private int writeCalls;

  private record Device(String id, String patientId) {}

  void countWrite() {
    writeCalls++;
  }

  int writeCalls() {
    return writeCalls;
  }

  void fail(Failure next) {
    failure = next;
  }

  void checkUsable() {
    switch (failure) {
      case UNAVAILABLE ->
          throw new FhirServiceUnavailableException(
              "The FHIR server " + BASE + " is unavailable: made unavailable by the test", null);
      case UNAUTHORIZED ->
          throw new UnauthorizedAccessFhirServiceException(
              "The FHIR server "
                  + BASE
                  + " refused the connector's credentials (HTTP 401): refused by the test");
      case NONE -> {}
    }
  }

  Subject registerDevice(
      String deviceIdentifier, String patientIdentifier, IdentityResolver.Config c) {
    String patientId = ensurePatient(patientIdentifier, c);
    String deviceId = ResourceIds.of("Device", c.deviceSystem(), deviceIdentifier);
    devices.put(deviceIdentifier, new Device(deviceId, patientId));
    return new Subject(patientId, deviceId, null);
  }

  String registerEncounter(String encounterIdentifier, IdentityResolver.Config c) {
    String id = ResourceIds.of("Encounter", c.encounterSystem(), encounterIdentifier);
    encounters.put(encounterIdentifier, id);
    return id;
  }

  /** As {@link IdentityResolver#resolve}: the same rules, the same exceptions and messages. */
  Subject resolve(GroupKey key, IdentityResolver.Config c) {
    if (c.type() == ResolutionType.LOOKUP_WITH_ENCOUNTER && blank(key.encounterId())) {
      throw new ResourceIdentityNotDefinedException(
          "LookupWithEncounter needs an encounter id, but the measurement of device '"
              + key.deviceId()
              + "' has none; map encounterIdExpression in the device mapping");
    }
    Device device = devices.get(key.deviceId());
    String patientId;
    String deviceId;
    if (device != null) {
      deviceId = device.id();
      patientId = linkedPatient(device, key, c);
    } else if (c.type() == ResolutionType.CREATE) {
      if (blank(key.patientId())) {
        throw new ResourceIdentityNotDefinedException(
            "Device '"
                + key.deviceId()
                + "' does not exist and cannot be created without a patient id; map"
                + " patientIdExpression in the device mapping");
      }
      Subject created = registerDevice(key.deviceId(), key.patientId(), c);
      patientId = created.patientId();
      deviceId = created.deviceId();
    } else {
      throw new DeviceNotFoundException(
          "No Device with identifier "
              + token(c.deviceSystem(), key.deviceId())
              + " on "
              + BASE
              + " (resolution type "
              + c.type()
              + ")");
    }
    String encounterId = blank(key.encounterId()) ? null : encounter(key.encounterId(), c);
    return new Subject(patientId, deviceId, encounterId);
  }

  private String linkedPatient(Device device, GroupKey key, IdentityResolver.Config c) {
    String linkedId = device.patientId();
    if (c.type() == ResolutionType.CREATE && !blank(key.patientId())) {
      String expected = ResourceIds.of("Patient", c.patientSystem(), key.patientId());
      if (!linkedId.equals(expected) && !linkedId.equals(patients.get(key.patientId()))) {
        throw IdentityResolver.deviceLinkedElsewhere(key.deviceId(), key.patientId(), linkedId);
      }
    }
    return linkedId;
  }

  private String ensurePatient(String identifier, IdentityResolver.Config c) {
    return patients.computeIfAbsent(
        identifier, i -> ResourceIds.of("Patient", c.patientSystem(), i));
  }

  private String encounter(String identifier, IdentityResolver.Config c) {
    String id = encounters.get(identifier);
    if (id == null) {
      throw new FhirResourceNotFoundException(
          "No Encounter with identifier " + token(c.encounterSystem(), identifier) + " on " + BASE);
    }
    return id;
  }

  Optional<Observation> observation(String id) {
    return Optional.ofNullable(observations.get(id)).map(Observation::copy);
  }

  /** Stores {@code o} as the next version of its id; returns a copy as stored. */
  Observation put(Observation o) {
    String id = o.getIdElement().getIdPart();
    Observation previous = observations.get(id);
    int version = previous == null ? 1 : Integer.parseInt(previous.getMeta().getVersionId()) + 1;
    Observation stored = o.copy();
    stored.setId(id);
    stored.getMeta().setVersionId(Integer.toString(version));
    observations.put(id, stored);
    return stored.copy();
  }

  List<Observation> observations() {
    return observations.values().stream().map(Observation::copy).toList();
  }

  private static String token(String system, String value) {
    return (system == null ? "" : system + "|") + value;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
