package io.iomt.testkit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The resources of an {@link InMemoryFhirServer}: current versions only (no history), an identifier
 * index, and the write rules of HAPI FHIR JPA 8.8 that the connector relies on (checked side by
 * side with the JPA server in {@code InMemoryFhirServerIT}).
 *
 * <p><b>Writes</b> ({@link #put}): a PUT with a client id creates (version 1, 201) or updates
 * (version + 1, 200); an update whose content equals the stored one is a no-op that keeps the
 * version (as JPA does). {@code If-Match: W/"n"} updates only version {@code n} and otherwise fails
 * with 409; {@code W/"0"} on an absent resource creates it (JPA's behaviour), and any other version
 * on an absent resource is 404. {@code If-None-Match: *} fails with 412 when the resource exists
 * (RFC 9110; JPA 8.8 ignores it on PUT). POST creates with a server id; {@code If-None-Exist} makes
 * it conditional.
 *
 * <p><b>Thread-safety.</b> Every operation is atomic per resource (a {@link ConcurrentHashMap}
 * compute); single operations and batch entries run concurrently under a shared lock, a transaction
 * holds the exclusive lock so that it can roll back without anyone having seen its partial state.
 * Stored resources are never handed out: readers get copies. Cost per operation is O(1) except
 * searches by reference (device, subject, patient), which scan the type.
 */
final class MemoryStore {
  static final FhirContext R4 = FhirContext.forR4Cached();

  /** The resource types served, with their constructors. */
  static final Map<String, Supplier<Resource>> TYPES =
      Map.of(
          "Patient", Patient::new,
          "Device", Device::new,
          "Encounter", Encounter::new,
          "Observation", Observation::new);

  /** A stored resource (with id, versionId and lastUpdated set) and its content without meta. */
  record Stored(Resource resource, int version, String content) {}

  /** The outcome of a write: the stored copy, and whether it created the resource. */
  record Written(Resource resource, int version, boolean created) {}

  private final Map<String, ConcurrentHashMap<String, Stored>> resources =
      new ConcurrentHashMap<>();
  private final Map<String, ConcurrentHashMap<String, Set<String>>> identifiers =
      new ConcurrentHashMap<>();
  private final ReadWriteLock lock = new ReentrantReadWriteLock();

  ReadWriteLock lock() {
    return lock;
  }

  private ConcurrentHashMap<String, Stored> of(String type) {
    requireType(type);
    return resources.computeIfAbsent(type, t -> new ConcurrentHashMap<>());
  }

  static void requireType(String type) {
    if (!TYPES.containsKey(type)) {
      throw new InvalidRequestException(
          "This in-memory server serves " + TYPES.keySet() + " only, not " + type);
    }
  }

  /** A copy of the current version, or 404. */
  Resource read(String type, String id) {
    Stored s = of(type).get(id);
    if (s == null) {
      throw new ResourceNotFoundException(type + "/" + id + " is not known");
    }
    return s.resource().copy();
  }

  /** The current version, or null. */
  Stored current(String type, String id) {
    return of(type).get(id);
  }

  /**
   * Creates or updates {@code type/id} under the conditions given.
   *
   * @param ifMatch an {@code If-Match} header value or null
   * @param ifNoneMatch an {@code If-None-Match} header value or null
   */
  Written put(String type, String id, Resource body, String ifMatch, String ifNoneMatch) {
    if (id == null || id.isBlank()) {
      throw new InvalidRequestException("PUT needs an id");
    }
    if (!type.equals(body.fhirType())) {
      throw new InvalidRequestException(
          "Resource type " + body.fhirType() + " does not match the URL's " + type);
    }
    if (body.getIdElement().hasIdPart() && !id.equals(body.getIdElement().getIdPart())) {
      throw new InvalidRequestException(
          "Resource id " + body.getIdElement().getIdPart() + " does not match the URL's " + id);
    }
    String expected = ifMatch == null || ifMatch.isBlank() ? null : etagVersion(ifMatch);
    boolean noneMatch = ifNoneMatch != null && ifNoneMatch.trim().equals("*");
    String content = content(body);
    Written[] out = new Written[1];
    Stored[] before = new Stored[1];
    boolean[] changed = new boolean[1];
    of(type)
        .compute(
            id,
            (key, old) -> {
              if (old != null && noneMatch) {
                throw new PreconditionFailedException(
                    type + "/" + id + " exists (If-None-Match: *)");
              }
              if (expected != null) {
                if (old == null && !expected.equals("0")) {
                  throw new ResourceNotFoundException(
                      type + "/" + id + " does not exist (If-Match: version " + expected + ")");
                }
                if (old != null && !expected.equals(Integer.toString(old.version()))) {
                  throw new ResourceVersionConflictException(
                      "Trying to update "
                          + type
                          + "/"
                          + id
                          + "/_history/"
                          + expected
                          + " but this is not the current version ("
                          + old.version()
                          + ")");
                }
              }
              before[0] = old;
              if (old != null && old.content().equals(content)) {
                out[0] = new Written(old.resource().copy(), old.version(), false);
                return old;
              }
              int version = old == null ? 1 : old.version() + 1;
              Stored s = stored(type, id, body, version, content);
              changed[0] = true;
              out[0] = new Written(s.resource().copy(), version, old == null);
              return s;
            });
    if (changed[0]) {
      reindex(type, id, before[0], of(type).get(id));
    }
    return out[0];
  }

  /** Creates with a new server-assigned id, or answers the match of {@code ifNoneExist}. */
  Written create(String type, Resource body, String ifNoneExist) {
    if (!type.equals(body.fhirType())) {
      throw new InvalidRequestException(
          "Resource type " + body.fhirType() + " does not match the URL's " + type);
    }
    if (ifNoneExist != null && !ifNoneExist.isBlank()) {
      String query =
          ifNoneExist.contains("?")
              ? ifNoneExist.substring(ifNoneExist.indexOf('?') + 1)
              : ifNoneExist;
      List<Resource> found = search(type, Queries.parse(query));
      if (found.size() > 1) {
        throw new PreconditionFailedException(
            "If-None-Exist " + ifNoneExist + " matches " + found.size() + " resources");
      }
      if (found.size() == 1) {
        Resource r = found.get(0);
        return new Written(r, Integer.parseInt(r.getMeta().getVersionId()), false);
      }
    }
    String id = UUID.randomUUID().toString();
    Resource copy = body.copy();
    copy.setId(id);
    return put(type, id, copy, null, "*");
  }

  /** Removes {@code type/id}, for a transaction's rollback. */
  void restore(String type, String id, Stored previous) {
    Stored now = previous == null ? of(type).remove(id) : of(type).put(id, previous);
    reindex(type, id, now, previous);
  }

  /**
   * Resources of a type matching a search: {@code identifier} ({@code system|value}, {@code |value}
   * or {@code value}, comma-separated alternatives), {@code _id} (comma-separated), {@code device},
   * {@code subject} and {@code patient} (references {@code Type/id} or an id); every parameter must
   * match. {@code _count}, {@code _summary}, {@code _format}, {@code _elements} and {@code _total}
   * are left to the caller; any other parameter is a 400.
   */
  List<Resource> search(String type, Map<String, List<String>> params) {
    Map<String, Stored> all = of(type);
    List<Stored> candidates = null;
    for (Map.Entry<String, List<String>> p : params.entrySet()) {
      String name = p.getKey();
      if (Queries.IGNORED.contains(name)) {
        continue;
      }
      for (String value : p.getValue()) {
        List<Stored> matches = new ArrayList<>();
        switch (name) {
          case "identifier" -> {
            for (String token : value.split(",")) {
              for (String id : identifiers(type).getOrDefault(token(token), Set.of())) {
                Stored s = all.get(id);
                if (s != null) {
                  matches.add(s);
                }
              }
            }
          }
          case "_id" -> {
            for (String id : value.split(",")) {
              Stored s = all.get(id.trim());
              if (s != null) {
                matches.add(s);
              }
            }
          }
          case "device", "subject", "patient" -> {
            for (Stored s : all.values()) {
              if (references(s.resource(), name, value)) {
                matches.add(s);
              }
            }
          }
          default ->
              throw new InvalidRequestException(
                  "This in-memory server does not search " + type + " by " + name);
        }
        candidates = candidates == null ? matches : intersect(candidates, matches);
      }
    }
    Map<String, Resource> out = new LinkedHashMap<>();
    for (Stored s : candidates == null ? all.values() : candidates) {
      out.computeIfAbsent(idOf(s), id -> s.resource().copy());
    }
    return new ArrayList<>(out.values());
  }

  /** How many resources of a type are stored. */
  int count(String type) {
    return of(type).size();
  }

  /** Forgets everything. */
  void clear() {
    lock.writeLock().lock();
    try {
      resources.clear();
      identifiers.clear();
    } finally {
      lock.writeLock().unlock();
    }
  }

  // ---- internals ------------------------------------------------------------------------------

  private static String idOf(Stored s) {
    return s.resource().getIdElement().getIdPart();
  }

  private static List<Stored> intersect(List<Stored> a, List<Stored> b) {
    Set<String> ids = new java.util.HashSet<>();
    b.forEach(s -> ids.add(idOf(s)));
    return a.stream().filter(s -> ids.contains(idOf(s))).toList();
  }

  private static boolean references(Resource r, String name, String value) {
    Reference ref =
        switch (name) {
          case "device" -> r instanceof Observation o ? o.getDevice() : null;
          case "subject", "patient" ->
              r instanceof Observation o
                  ? o.getSubject()
                  : r instanceof Device d
                      ? d.getPatient()
                      : r instanceof Encounter e ? e.getSubject() : null;
          default -> null;
        };
    if (ref == null || !ref.hasReference()) {
      return false;
    }
    String target = ref.getReferenceElement().getIdPart();
    String wanted = value.contains("/") ? value.substring(value.lastIndexOf('/') + 1) : value;
    String wantedType = value.contains("/") ? value.substring(0, value.indexOf('/')) : null;
    return target.equals(wanted)
        && (wantedType == null || wantedType.equals(ref.getReferenceElement().getResourceType()));
  }

  private Map<String, Set<String>> identifiers(String type) {
    return identifiers.computeIfAbsent(type, t -> new ConcurrentHashMap<>());
  }

  /** The index key of a search token: {@code system|value}, {@code |value} or {@code *|value}. */
  private static String token(String token) {
    String t = token.trim();
    int bar = t.indexOf('|');
    return bar < 0 ? "*|" + t : t;
  }

  private static List<String> keys(Resource r) {
    List<Identifier> ids = List.of();
    if (r instanceof Patient p) {
      ids = p.getIdentifier();
    } else if (r instanceof Device d) {
      ids = d.getIdentifier();
    } else if (r instanceof Encounter e) {
      ids = e.getIdentifier();
    } else if (r instanceof Observation o) {
      ids = o.getIdentifier();
    }
    List<String> keys = new ArrayList<>();
    for (Identifier i : ids) {
      if (!i.hasValue()) {
        continue;
      }
      keys.add("*|" + i.getValue());
      keys.add((i.hasSystem() ? i.getSystem() : "") + "|" + i.getValue());
    }
    return keys;
  }

  private void reindex(String type, String id, Stored before, Stored after) {
    Map<String, Set<String>> index = identifiers(type);
    if (before != null) {
      for (String k : keys(before.resource())) {
        index.computeIfPresent(
            k,
            (key, set) -> {
              set.remove(id);
              return set.isEmpty() ? null : set;
            });
      }
    }
    if (after != null) {
      for (String k : keys(after.resource())) {
        index.computeIfAbsent(k, key -> ConcurrentHashMap.newKeySet()).add(id);
      }
    }
  }

  private static Stored stored(String type, String id, Resource body, int version, String content) {
    Resource copy = body.copy();
    copy.setId(type + "/" + id + "/_history/" + version);
    copy.getMeta().setVersionId(Integer.toString(version));
    copy.getMeta().setLastUpdated(new Date());
    return new Stored(copy, version, content);
  }

  /** The resource as JSON without id and meta: equal content means a no-op update. */
  private static String content(Resource body) {
    Resource copy = body.copy();
    copy.setIdElement(null);
    copy.setMeta(null);
    IParser parser = R4.newJsonParser();
    return parser.encodeResourceToString(copy);
  }

  /** The version in {@code W/"3"} or {@code "3"}; a 400 when unreadable. */
  static String etagVersion(String etag) {
    String v = etag.trim();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    v = v.replace("\"", "").trim();
    if (v.isEmpty()) {
      throw new InvalidRequestException("unreadable ETag " + etag);
    }
    return v;
  }
}
