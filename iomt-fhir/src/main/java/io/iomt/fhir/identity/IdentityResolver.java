package io.iomt.fhir.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.iomt.core.error.DataException;
import io.iomt.core.error.DeviceNotFoundException;
import io.iomt.core.error.FhirResourceNotFoundException;
import io.iomt.core.error.PatientDeviceMismatchException;
import io.iomt.core.error.PatientNotFoundException;
import io.iomt.core.error.ResourceIdentityNotDefinedException;
import io.iomt.core.observation.GroupKey;
import io.iomt.core.observation.ObservationFactory.Subject;
import io.iomt.core.observation.ResourceIds;
import io.iomt.fhir.FhirResources;
import io.iomt.fhir.identity.IdentitySearches.Found;
import io.iomt.fhir.identity.IdentitySearches.Search;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * Resolves the Patient, Device and Encounter a group of measurements belongs to (REFERENCE.md §3),
 * with a cache bounded in size and age: a Device→Patient link is reused for at most {@link
 * Config#cacheTtl()} (5 minutes by default), never hours. Failures are not cached. Created Patients
 * and Devices get ids derived from their identifiers ({@link ResourceIds}), so concurrent writers
 * resolving the same new device converge on one Patient and one Device. Many groups are resolved
 * together in a few batch requests ({@link #resolveAll}), not one search per device: a cold start
 * with 1,000 new devices takes 8 requests, not 4,000. Thread-safe.
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

  /** Most entries per batch request of searches or creates. */
  public static final int MAX_ENTRIES = 500;

  private final FhirResources fhir;
  private final Config config;
  private final Cache<Key, Subject> cache;
  private final IdentitySearches searches;
  private final IdentityCreates creates;

  public IdentityResolver(FhirResources fhir, Config config, Ticker ticker) {
    this.fhir = fhir;
    this.config = config;
    this.searches = new IdentitySearches(fhir, MAX_ENTRIES);
    this.creates = new IdentityCreates(fhir, MAX_ENTRIES);
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(config.cacheSize())
            .expireAfterWrite(config.cacheTtl())
            .ticker(ticker)
            .build();
  }

  /**
   * Resolves one group's identities (as {@link #resolveAll} does for many).
   *
   * @throws DataException the group's non-blocking error when it cannot be resolved
   * @throws io.iomt.core.error.FhirServiceException when the server cannot be used now
   */
  public Subject resolve(GroupKey group) {
    Resolution r = resolveAll(List.of(group)).get(group);
    if (r instanceof Resolution.Failed f) {
      throw f.error();
    }
    return ((Resolution.Resolved) r).subject();
  }

  /**
   * Resolves the identities of many groups at once: cached ones from the cache, the others in a few
   * batch requests of at most {@value #MAX_ENTRIES} entries each, whatever their number: the Device
   * and Encounter searches, then for {@code Create} the Patient searches that are needed, then the
   * PUTs of new Patients and of new Devices. A group that cannot be resolved gets the same
   * non-blocking error a single resolution gives it; the others are resolved.
   *
   * @param groups the groups' keys; duplicates are resolved once
   * @return the resolution of every key given
   * @throws io.iomt.core.error.FhirServiceException when the server cannot be used now (blocking)
   */
  public Map<GroupKey, Resolution> resolveAll(Collection<GroupKey> groups) {
    Map<GroupKey, Resolution> out = new HashMap<>();
    Map<Key, List<GroupKey>> misses = new LinkedHashMap<>();
    for (GroupKey group : groups) {
      if (out.containsKey(group)) {
        continue;
      }
      if (config.type() == ResolutionType.LOOKUP_WITH_ENCOUNTER && blank(group.encounterId())) {
        out.put(
            group,
            new Resolution.Failed(
                new ResourceIdentityNotDefinedException(
                    "LookupWithEncounter needs an encounter id, but the measurement of device '"
                        + group.deviceId()
                        + "' has none; map encounterIdExpression in the device mapping")));
        continue;
      }
      Key key = new Key(group.deviceId(), group.patientId(), group.encounterId());
      Subject cached = cache.getIfPresent(key);
      if (cached != null) {
        out.put(group, new Resolution.Resolved(cached));
      } else {
        misses.computeIfAbsent(key, k -> new ArrayList<>()).add(group);
      }
    }
    if (!misses.isEmpty()) {
      Map<Key, Resolution> resolved = resolveUncached(List.copyOf(misses.keySet()));
      misses.forEach(
          (key, keyed) -> {
            Resolution r = resolved.get(key);
            if (r instanceof Resolution.Resolved ok) {
              cache.put(key, ok.subject());
            }
            keyed.forEach(g -> out.put(g, r));
          });
    }
    return out;
  }

  /** Forgets cached identities (e.g. after a Device was re-linked by hand). */
  public void invalidateAll() {
    cache.invalidateAll();
  }

  /** What one key resolves to, and the creates it waits for. */
  private record Plan(
      String patientId,
      String deviceId,
      String encounterId,
      IdentityCreates.Create patient,
      IdentityCreates.Create device) {}

  private Map<Key, Resolution> resolveUncached(List<Key> keys) {
    List<Search> first = new ArrayList<>();
    for (Key k : keys) {
      first.add(deviceSearch(k.deviceId()));
      if (!blank(k.encounterId())) {
        first.add(encounterSearch(k.encounterId()));
      }
    }
    Map<Search, Found> found = new HashMap<>(searches.find(first));
    if (config.type() == ResolutionType.CREATE) {
      found.putAll(searches.find(patientSearchesNeeded(keys, found)));
    }
    Map<Key, Resolution> out = new HashMap<>();
    Map<Key, Plan> plans = new LinkedHashMap<>();
    Map<String, IdentityCreates.Create> newPatients = new LinkedHashMap<>();
    Map<String, Plan> newDevices = new HashMap<>();
    for (Key k : keys) {
      try {
        Plan plan = plan(k, found, newPatients, newDevices);
        String encounterId = blank(k.encounterId()) ? null : encounter(k.encounterId(), found);
        plans.put(
            k,
            new Plan(
                plan.patientId(), plan.deviceId(), encounterId, plan.patient(), plan.device()));
      } catch (DataException e) {
        out.put(k, new Resolution.Failed(e));
      }
    }
    Map<IdentityCreates.Create, DataException> failed =
        new HashMap<>(creates.create(List.copyOf(newPatients.values())));
    List<IdentityCreates.Create> devices = new ArrayList<>();
    for (Plan p : plans.values()) {
      if (p.device() != null
          && !devices.contains(p.device())
          && (p.patient() == null || !failed.containsKey(p.patient()))) {
        devices.add(p.device());
      }
    }
    failed.putAll(creates.create(devices));
    plans.forEach(
        (k, p) -> {
          DataException error = p.patient() == null ? null : failed.get(p.patient());
          if (error == null && p.device() != null) {
            error = failed.get(p.device());
          }
          out.put(
              k,
              error != null
                  ? new Resolution.Failed(error)
                  : new Resolution.Resolved(
                      new Subject(p.patientId(), p.deviceId(), p.encounterId())));
        });
    return out;
  }

  /** Create: the Patient searches that the keys' Device searches call for. */
  private List<Search> patientSearchesNeeded(List<Key> keys, Map<Search, Found> found) {
    List<Search> out = new ArrayList<>();
    for (Key k : keys) {
      if (blank(k.patientId())) {
        continue;
      }
      Found device = outcome(found, deviceSearch(k.deviceId()));
      boolean needed =
          device instanceof Found.None
              || (device instanceof Found.One one
                  && one.resource() instanceof Device d
                  && d.getPatient().hasReference()
                  && !d.getPatient()
                      .getReferenceElement()
                      .getIdPart()
                      .equals(expectedPatientId(k.patientId())));
      if (needed) {
        out.add(patientSearch(k.patientId()));
      }
    }
    return out;
  }

  /**
   * A key's Patient and Device, planning the creates it needs. A Device that an earlier key of the
   * same resolution creates counts as existing and linked to that key's Patient.
   */
  private Plan plan(
      Key key,
      Map<Search, Found> found,
      Map<String, IdentityCreates.Create> newPatients,
      Map<String, Plan> newDevices) {
    Plan planned = newDevices.get(key.deviceId());
    if (planned != null) {
      String patientId = checkLink(planned.patientId(), key, found);
      return new Plan(patientId, planned.deviceId(), null, planned.patient(), planned.device());
    }
    Found foundDevice = outcome(found, deviceSearch(key.deviceId()));
    if (foundDevice instanceof Found.Failed f) {
      throw f.error();
    }
    if (foundDevice instanceof Found.One one) {
      Device device = (Device) one.resource();
      return new Plan(
          linkedPatient(device, key, found), device.getIdElement().getIdPart(), null, null, null);
    }
    if (config.type() != ResolutionType.CREATE) {
      throw new DeviceNotFoundException(
          "No Device with identifier "
              + token(config.deviceSystem(), key.deviceId())
              + " on "
              + fhir.http().base()
              + " (resolution type "
              + config.type()
              + ")");
    }
    if (blank(key.patientId())) {
      throw new ResourceIdentityNotDefinedException(
          "Device '"
              + key.deviceId()
              + "' does not exist and cannot be created without a patient id; map"
              + " patientIdExpression in the device mapping");
    }
    String patientId;
    IdentityCreates.Create patientCreate = null;
    Found patient = outcome(found, patientSearch(key.patientId()));
    if (patient instanceof Found.Failed f) {
      throw f.error();
    } else if (patient instanceof Found.One p) {
      patientId = p.resource().getIdElement().getIdPart();
    } else {
      patientCreate = newPatients.computeIfAbsent(key.patientId(), this::newPatient);
      patientId = patientCreate.resource().getIdElement().getIdPart();
    }
    IdentityCreates.Create deviceCreate = newDevice(key.deviceId(), patientId);
    Plan plan =
        new Plan(
            patientId,
            deviceCreate.resource().getIdElement().getIdPart(),
            null,
            patientCreate,
            deviceCreate);
    newDevices.put(key.deviceId(), plan);
    return plan;
  }

  private String linkedPatient(Device device, Key key, Map<Search, Found> found) {
    Reference link = device.getPatient();
    if (link == null || !link.hasReference()) {
      throw new PatientNotFoundException(
          "Device '" + key.deviceId() + "' is not linked to a Patient (Device.patient is empty)");
    }
    return checkLink(link.getReferenceElement().getIdPart(), key, found);
  }

  /** Create: the Device's Patient must be the one the measurement names. */
  private String checkLink(String linkedId, Key key, Map<Search, Found> found) {
    if (config.type() == ResolutionType.CREATE
        && !blank(key.patientId())
        && !linkedId.equals(expectedPatientId(key.patientId()))) {
      Found named = outcome(found, patientSearch(key.patientId()));
      if (named instanceof Found.Failed f) {
        throw f.error();
      }
      if (!(named instanceof Found.One one)
          || !one.resource().getIdElement().getIdPart().equals(linkedId)) {
        throw deviceLinkedElsewhere(key.deviceId(), key.patientId(), linkedId);
      }
    }
    return linkedId;
  }

  private String expectedPatientId(String patientIdentifier) {
    return ResourceIds.of("Patient", config.patientSystem(), patientIdentifier);
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

  private IdentityCreates.Create newPatient(String patientIdentifier) {
    Patient patient = new Patient();
    patient.setId(expectedPatientId(patientIdentifier));
    patient.addIdentifier().setSystem(config.patientSystem()).setValue(patientIdentifier);
    return new IdentityCreates.Create(patient, "Patient '" + patientIdentifier + "'");
  }

  private IdentityCreates.Create newDevice(String deviceIdentifier, String patientId) {
    Device device = new Device();
    device.setId(ResourceIds.of("Device", config.deviceSystem(), deviceIdentifier));
    device.addIdentifier().setSystem(config.deviceSystem()).setValue(deviceIdentifier);
    device.setPatient(new Reference("Patient/" + patientId));
    return new IdentityCreates.Create(device, "Device '" + deviceIdentifier + "'");
  }

  private String encounter(String encounterIdentifier, Map<Search, Found> found) {
    Found encounter = outcome(found, encounterSearch(encounterIdentifier));
    if (encounter instanceof Found.Failed f) {
      throw f.error();
    }
    if (encounter instanceof Found.One one) {
      return one.resource().getIdElement().getIdPart();
    }
    throw new FhirResourceNotFoundException(
        "No Encounter with identifier "
            + token(config.encounterSystem(), encounterIdentifier)
            + " on "
            + fhir.http().base());
  }

  /** A search's outcome; every search a key needs was run, so a missing one is a bug. */
  private static Found outcome(Map<Search, Found> found, Search search) {
    Found f = found.get(search);
    if (f == null) {
      throw new IllegalStateException("no outcome for the search of " + search);
    }
    return f;
  }

  private Search deviceSearch(String identifier) {
    return new Search(Device.class, config.deviceSystem(), identifier);
  }

  private Search patientSearch(String identifier) {
    return new Search(Patient.class, config.patientSystem(), identifier);
  }

  private Search encounterSearch(String identifier) {
    return new Search(Encounter.class, config.encounterSystem(), identifier);
  }

  private static String token(String system, String value) {
    return (system == null ? "" : system + "|") + value;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
