package io.iomt.service.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.service.management.ResourceStore.Expect;
import io.iomt.service.management.StoredResource.Operation;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * What the management API does, without HTTP: PUT, PATCH, GET, DELETE and lists of the contract's
 * resources, with ARM's preconditions ({@code If-Match}, {@code If-None-Match}), provisioning
 * states and long-running operations. A write stores the desired state with a running {@link
 * Operation}; the {@link Reconciler} of every replica carries it out and ends it. Connectors of the
 * configuration file are shown read-only ({@link ConfigurationResources}). Thread-safe.
 */
public final class ManagementService {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ManagementService.class);
  static final ObjectMapper JSON = new ObjectMapper();
  public static final String API_VERSION = "2024-03-31";

  /** Records who changed what (log and metric); never given bodies or secrets. */
  public interface Audit {
    void record(Caller caller, String action, ResourceId id, String outcome);
  }

  /** The authenticated caller, for {@code systemData} and the audit. */
  public record Caller(String name, String type) {}

  /** Who makes the current request. */
  public interface Callers {
    Caller current();
  }

  /**
   * The answer to a write.
   *
   * @param resource what is stored now; null after a delete that found nothing
   * @param status 200, 201, 202 or 204
   * @param operation the long-running operation the write started; null when none
   */
  public record Result(StoredResource resource, int status, Operation operation) {}

  /** One page of a list, and the skip token of the next page (null on the last). */
  public record Page(List<StoredResource> value, String nextSkipToken) {}

  private final ResourceStore store;
  private final Audit audit;
  private final Clock clock;
  private final ConfigurationResources configuration;
  private final int pageSize;

  /** Operations of resources deleted since this replica started (a GET after a 202 finds them). */
  private final Map<String, Operation> finishedDeletes =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Operation> eldest) {
              return size() > 10_000;
            }
          });

  public ManagementService(
      ResourceStore store,
      Audit audit,
      ConfigurationResources configuration,
      Clock clock,
      int pageSize) {
    this.store = store;
    this.audit = audit;
    this.configuration = configuration;
    this.clock = clock;
    this.pageSize = pageSize;
    store.subscribe(this::remember);
  }

  private void remember(ResourceStore.Change change) {
    Operation op = change.before() == null ? null : change.before().operation();
    if (change.after() == null && op != null && op.kind().equals("delete")) {
      finishedDeletes.put(
          op.id().toLowerCase(Locale.ROOT),
          new Operation(op.id(), "Succeeded", "delete", op.startTime(), clock.instant(), null));
    }
  }

  private volatile boolean ready;

  /** Called once the store has been read: until then every request answers 503. */
  public void markReady() {
    ready = true;
  }

  /** Whether the store has been read (a replica that starts catches up first). */
  public boolean ready() {
    return ready;
  }

  /** The resource, from the store or the configuration file's read-only view. */
  public StoredResource get(ResourceId id) {
    return find(id).orElseThrow(() -> notFound(id));
  }

  private Optional<StoredResource> find(ResourceId id) {
    if (configuration.contains(id)) {
      return configuration.get(id);
    }
    return store.get(id);
  }

  /** Workspaces of a subscription, or of one of its resource groups when {@code rg} is set. */
  public Page listWorkspaces(String subscription, String resourceGroup, String skipToken) {
    return page(
        r ->
            r.id().type() == ResourceType.WORKSPACE
                && r.id().subscription().equalsIgnoreCase(subscription)
                && (resourceGroup == null
                    || r.id().resourceGroup().equalsIgnoreCase(resourceGroup)),
        skipToken);
  }

  /** The children of one type of a resource ({@code 404} when the parent does not exist). */
  public Page listChildren(ResourceId parent, ResourceType type, String skipToken) {
    get(parent);
    return page(
        r -> r.id().type() == type && r.id().parent().map(parent::equalsKey).orElse(false),
        skipToken);
  }

  private Page page(Predicate<StoredResource> filter, String skipToken) {
    List<StoredResource> all = new ArrayList<>();
    for (StoredResource r : store.list()) {
      if (filter.test(r)) {
        all.add(r);
      }
    }
    for (StoredResource r : configuration.list()) {
      if (filter.test(r)) {
        all.add(r);
      }
    }
    all.sort(Comparator.comparing(r -> r.id().key()));
    String after = skipToken == null ? null : SkipTokens.decode(skipToken);
    List<StoredResource> out = new ArrayList<>();
    for (StoredResource r : all) {
      if (after != null && r.id().key().compareTo(after) <= 0) {
        continue;
      }
      if (out.size() == pageSize) {
        return new Page(out, SkipTokens.encode(out.get(out.size() - 1).id().key()));
      }
      out.add(r);
    }
    return new Page(out, null);
  }

  /** Create or replace (ARM's PUT): stored with a running operation that the reconcilers end. */
  public Result put(ResourceId id, byte[] body, String ifMatch, String ifNoneMatch, Caller caller) {
    try {
      Result r = doPut(id, body, ifMatch, ifNoneMatch, caller);
      audit.record(caller, "PUT", id, "accepted");
      return r;
    } catch (ArmException e) {
      audit.record(caller, "PUT", id, "refused:" + e.error().code());
      throw e;
    }
  }

  private Result doPut(
      ResourceId id, byte[] body, String ifMatch, String ifNoneMatch, Caller caller) {
    refuseReadOnly(id);
    ResourceId parent = id.parent().orElse(null);
    if (parent != null) {
      StoredResource p =
          store
              .get(parent)
              .orElseThrow(
                  () ->
                      new ArmException(
                          404,
                          "ParentResourceNotFound",
                          "Can not perform requested operation on nested resource. Parent resource '"
                              + parent
                              + "' not found."));
      if (p.provisioningState().equals("Deleting")) {
        throw new ArmException(
            409,
            "ParentResourceIsBeingDeleted",
            "The parent resource '" + parent + "' is being deleted.");
      }
    }
    Optional<StoredResource> current = store.get(id);
    Expect expect = expect(ifMatch, ifNoneMatch);
    checkPrecondition(id, current.orElse(null), expect);
    if (current.isPresent() && current.get().provisioningState().equals("Deleting")) {
      throw new ArmException(
          409, "ResourceIsBeingDeleted", "The resource '" + id + "' is being deleted.");
    }
    StoredResource companion = companion(id);
    if (id.type() == ResourceType.FHIR_DESTINATION) {
      for (StoredResource other : store.list()) {
        if (other.id().type() == ResourceType.FHIR_DESTINATION
            && other.id().parent().orElseThrow().equalsKey(parent)
            && !other.id().equalsKey(id)) {
          throw new ArmException(
              409,
              "FhirDestinationLimitReached",
              "An iotconnector writes to one FHIR destination; '"
                  + parent.name()
                  + "' already has '"
                  + other.id().name()
                  + "'. Delete it first, or PUT to it.");
        }
      }
    }
    if (id.type() == ResourceType.IOT_CONNECTOR) {
      String runtime = ConnectorResources.runtimeName(id);
      if (configuration.connectorNames().contains(runtime)) {
        throw new ArmException(
            409,
            "ConnectorNameConflict",
            "The connector name '"
                + runtime
                + "' (workspace-connector) is taken by a connector of the configuration file.");
      }
      for (StoredResource other : store.list()) {
        if (other.id().type() == ResourceType.IOT_CONNECTOR
            && !other.id().equalsKey(id)
            && ConnectorResources.runtimeName(other.id()).equals(runtime)) {
          throw new ArmException(
              409,
              "ConnectorNameConflict",
              "The connector name '"
                  + runtime
                  + "' (workspace-connector) is taken by '"
                  + other.id()
                  + "'; this service runs connectors of every subscription and resource group"
                  + " side by side, so the pair must be unique.");
        }
      }
    }
    ValidatedResource v =
        ResourceValidator.validate(
            id,
            body,
            Optional.ofNullable(companion).flatMap(MappingCompanion::of),
            current.map(c -> c.secrets().keySet()).orElse(java.util.Set.of()));
    for (ArmError w : v.warnings()) {
      LOG.info("PUT {}: {} {} ({})", id, w.code(), w.message(), w.target());
    }
    Instant now = clock.instant();
    ObjectNode b = v.body().deepCopy();
    Map<String, String> secrets =
        WriteOnlyFields.mergeSecrets(current.map(StoredResource::secrets).orElse(Map.of()), v);
    frame(id, b, current.orElse(null), caller, now);
    boolean creating = current.isEmpty();
    String kind = creating ? "create" : "update";
    Operation op = new Operation(UUID.randomUUID().toString(), "Running", kind, now, null, null);
    ((ObjectNode) b.get("properties")).put("provisioningState", creating ? "Creating" : "Updating");
    StoredResource stored = write(new StoredResource(id, null, b, secrets, op), expect);
    return new Result(stored, creating ? 201 : 200, op);
  }

  /** PATCH of {@code tags} (and {@code identity} on an iotconnector): applied at once. */
  public Result patch(ResourceId id, byte[] body, String ifMatch, Caller caller) {
    try {
      Result r = doPatch(id, body, ifMatch, caller);
      audit.record(caller, "PATCH", id, "accepted");
      return r;
    } catch (ArmException e) {
      audit.record(caller, "PATCH", id, "refused:" + e.error().code());
      throw e;
    }
  }

  private Result doPatch(ResourceId id, byte[] body, String ifMatch, Caller caller) {
    refuseReadOnly(id);
    if (id.type() == ResourceType.FHIR_DESTINATION) {
      throw new ArmException(
          405, "MethodNotAllowed", "fhirdestinations cannot be patched; PUT the whole resource.");
    }
    StoredResource current = store.get(id).orElseThrow(() -> notFound(id));
    Expect expect = expect(ifMatch, null);
    checkPrecondition(id, current, expect);
    ObjectNode patch = ResourceValidator.validatePatch(id, body);
    ObjectNode b = current.body().deepCopy();
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      b.set(e.getKey(), e.getValue());
    }
    frame(id, b, current, caller, clock.instant());
    StoredResource stored =
        write(
            new StoredResource(id, null, b, current.secrets(), current.operation()),
            Expect.etag(current.etag()));
    return new Result(stored, 200, null);
  }

  /**
   * DELETE: 204 when there is nothing, else 202 with the resource marked {@code Deleting}; the
   * reconcilers stop its stages, remove what it made and then the resource with its children.
   */
  public Result delete(ResourceId id, String ifMatch, Caller caller) {
    try {
      Result r = doDelete(id, ifMatch, caller);
      audit.record(caller, "DELETE", id, r.status() == 204 ? "absent" : "accepted");
      return r;
    } catch (ArmException e) {
      audit.record(caller, "DELETE", id, "refused:" + e.error().code());
      throw e;
    }
  }

  private Result doDelete(ResourceId id, String ifMatch, Caller caller) {
    refuseReadOnly(id);
    Optional<StoredResource> current = store.get(id);
    if (current.isEmpty()) {
      if (ifMatch != null) {
        throw preconditionFailed(id, null);
      }
      return new Result(null, 204, null);
    }
    Expect expect = ifMatch == null ? Expect.etag(current.get().etag()) : expect(ifMatch, null);
    checkPrecondition(id, current.get(), expect);
    if (current.get().provisioningState().equals("Deleting")
        && current.get().operation() != null
        && current.get().operation().isRunning()) {
      return new Result(current.get(), 202, current.get().operation());
    }
    StoredResource deleting = markDeleting(current.get(), caller, clock.instant());
    return new Result(write(deleting, expect), 202, deleting.operation());
  }

  /** The resource in {@code Deleting} with a running delete operation (also used for children). */
  static StoredResource markDeleting(StoredResource r, Caller caller, Instant now) {
    ObjectNode b = r.body().deepCopy();
    ObjectNode props = b.withObject("properties");
    props.put("provisioningState", "Deleting");
    if (caller != null) {
      ObjectNode sd = b.withObject("systemData");
      sd.put("lastModifiedBy", caller.name());
      sd.put("lastModifiedByType", caller.type());
      sd.put("lastModifiedAt", now.toString());
    }
    Operation op =
        new Operation(UUID.randomUUID().toString(), "Running", "delete", now, null, null);
    return new StoredResource(r.id(), null, b, r.secrets(), op);
  }

  /** The resource holding the operation of that id, if this replica knows it. */
  public Optional<Operation> operation(String subscription, String operationId) {
    for (StoredResource r : store.list()) {
      if (r.operation() != null
          && r.operation().id().equalsIgnoreCase(operationId)
          && r.id().subscription().equalsIgnoreCase(subscription)) {
        return Optional.of(r.operation());
      }
    }
    return Optional.ofNullable(finishedDeletes.get(operationId.toLowerCase(Locale.ROOT)));
  }

  private StoredResource write(StoredResource next, Expect expect) {
    try {
      return store.put(next, expect);
    } catch (ResourceStore.PreconditionFailedException e) {
      throw preconditionFailed(next.id(), e.current());
    } catch (ResourceStore.StoreUnavailableException e) {
      throw new ArmException(
          503,
          "StoreUnavailable",
          "The change could not be stored: " + e.getMessage() + " Nothing was changed; retry.");
    }
  }

  /** The other half of a mapping cross-check: the destination or the connector. */
  private StoredResource companion(ResourceId id) {
    if (id.type() == ResourceType.FHIR_DESTINATION) {
      return store.get(id.parent().orElseThrow()).orElse(null);
    }
    if (id.type() == ResourceType.IOT_CONNECTOR) {
      for (StoredResource r : store.list()) {
        if (r.id().type() == ResourceType.FHIR_DESTINATION
            && r.id().parent().orElseThrow().equalsKey(id)) {
          return r;
        }
      }
    }
    return null;
  }

  /** Sets the read-only fields ARM owns: id, name, type, systemData. */
  private static void frame(
      ResourceId id, ObjectNode b, StoredResource current, Caller caller, Instant now) {
    b.put("id", id.toString());
    b.put("name", id.name());
    b.put("type", id.type().armType());
    ObjectNode sd = JSON.createObjectNode();
    JsonNode before = current == null ? null : current.body().get("systemData");
    if (before != null && before.has("createdBy")) {
      sd.set("createdBy", before.get("createdBy"));
      sd.set("createdByType", before.get("createdByType"));
      sd.set("createdAt", before.get("createdAt"));
    } else {
      sd.put("createdBy", caller.name());
      sd.put("createdByType", caller.type());
      sd.put("createdAt", now.toString());
    }
    sd.put("lastModifiedBy", caller.name());
    sd.put("lastModifiedByType", caller.type());
    sd.put("lastModifiedAt", now.toString());
    b.set("systemData", sd);
    b.withObject("properties");
    if (current != null) {
      JsonNode state = current.body().path("properties").get("provisioningState");
      if (state != null) {
        b.withObject("properties").set("provisioningState", state);
      }
    }
  }

  private void refuseReadOnly(ResourceId id) {
    if (configuration.contains(id)) {
      throw new ArmException(
          409,
          "ReadOnlyResource",
          "'"
              + id
              + "' comes from the service's configuration file and is read-only here; change the"
              + " file, or create the connector in another workspace through this API.");
    }
  }

  private static Expect expect(String ifMatch, String ifNoneMatch) {
    if (ifNoneMatch != null) {
      if (!ifNoneMatch.trim().equals("*")) {
        throw new ArmException(
            400,
            "InvalidRequestHeader",
            "If-None-Match supports '*' only (create if absent), got '" + ifNoneMatch + "'.");
      }
      return Expect.ABSENT;
    }
    if (ifMatch == null) {
      return Expect.ANY;
    }
    String m = ifMatch.trim();
    if (m.equals("*")) {
      return Expect.PRESENT;
    }
    if (m.startsWith("W/")) {
      m = m.substring(2);
    }
    if (!m.startsWith("\"")) {
      m = "\"" + m + "\"";
    }
    return Expect.etag(m);
  }

  private static void checkPrecondition(ResourceId id, StoredResource current, Expect expect) {
    if (!expect.matches(current == null ? null : current.etag())) {
      throw preconditionFailed(id, current);
    }
  }

  private static ArmException preconditionFailed(ResourceId id, StoredResource current) {
    return new ArmException(
        412,
        "PreconditionFailed",
        current == null
            ? "The resource '" + id + "' does not exist, and the request's precondition needs it."
            : "The resource '"
                + id
                + "' has changed: its etag is "
                + current.etag()
                + ". Read it again and retry with that etag.");
  }

  static ArmException notFound(ResourceId id) {
    return new ArmException(
        404,
        "ResourceNotFound",
        "The Resource '"
            + id.type().armType()
            + "/"
            + String.join("/", id.names())
            + "' under resource group '"
            + id.resourceGroup()
            + "' was not found.");
  }
}
