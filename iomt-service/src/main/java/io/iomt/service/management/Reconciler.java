package io.iomt.service.management;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.service.ServiceConfiguration.ConnectorDefinition;
import io.iomt.service.management.ConnectorProvisioning.ProvisioningException;
import io.iomt.service.management.ResourceStore.Expect;
import io.iomt.service.management.StoredResource.Operation;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings this replica in line with the store, on every change and every few seconds:
 *
 * <ul>
 *   <li><b>Operations.</b> Every running operation is carried out by every replica that sees it
 *       (provisioning is idempotent); the first to finish ends it with a write conditional on the
 *       etag it started from, so the others' results are dropped and a newer PUT is never
 *       overwritten. A replica killed in the middle leaves the operation running, and any replica,
 *       the restarted one included, carries it out again: nothing stays {@code Creating}.
 *   <li><b>Connectors.</b> An iotconnector whose fhirdestination has succeeded runs here (its
 *       consumer groups split the partitions between the replicas); a changed mapping or setting
 *       swaps it live; a connector being deleted or gone stops. While an update is being
 *       provisioned, the previous version keeps running.
 *   <li><b>Deletes.</b> A deleted iotconnector stops here first; the replica that deprovisions it
 *       waits until its consumer groups are empty everywhere before it removes topics and
 *       checkpoints, then removes the destination and the connector. A deleted workspace deletes
 *       its children first.
 * </ul>
 *
 * Thread-safe: one reconciling thread, plus a small pool for operations.
 */
public final class Reconciler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  private static final Duration TICK = Duration.ofSeconds(5);

  /** What the reconciler drives on this replica. */
  public interface Connectors {
    /** Starts the connector, or swaps a running one of that name to this definition. */
    void run(ConnectorDefinition definition);

    /** Stops the connector of that name, if it runs. */
    void remove(String name);
  }

  private final ResourceStore store;
  private final ConnectorResources resources;
  private final ConnectorProvisioning provisioning;
  private final Connectors connectors;
  private final Clock clock;
  private final Object signal = new Object();
  private final Map<String, String> runningFingerprints = new ConcurrentHashMap<>();
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final ExecutorService operations;
  private final Thread loop;
  private volatile boolean dirty = true;
  private volatile boolean closed;

  public Reconciler(
      ResourceStore store,
      ConnectorResources resources,
      ConnectorProvisioning provisioning,
      Connectors connectors,
      Clock clock) {
    this.store = store;
    this.resources = resources;
    this.provisioning = provisioning;
    this.connectors = connectors;
    this.clock = clock;
    this.operations =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "iomt-provisioning");
              t.setDaemon(true);
              return t;
            });
    this.loop = new Thread(this::run, "iomt-reconciler");
    this.loop.setDaemon(true);
  }

  /** Subscribes to the store and starts reconciling (the store must have been started). */
  public void start() {
    store.subscribe(change -> wake());
    loop.start();
  }

  /** Asks for a reconciliation now (after a write through this replica, say). */
  public void wake() {
    synchronized (signal) {
      dirty = true;
      signal.notifyAll();
    }
  }

  private void run() {
    while (!closed) {
      try {
        synchronized (signal) {
          if (!dirty) {
            signal.wait(TICK.toMillis());
          }
          dirty = false;
        }
        if (!closed) {
          reconcile();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warn("Reconciling the management resources failed; trying again shortly", e);
      }
    }
  }

  /** One pass: operations handed to the pool, connectors started, swapped or stopped. */
  void reconcile() {
    View view = new View(store.list());
    for (StoredResource r : view.all) {
      Operation op = r.operation();
      if (op != null && op.isRunning() && inFlight.add(r.id().key())) {
        operations.execute(
            () -> {
              try {
                carryOut(r);
              } catch (RuntimeException e) {
                LOG.warn("Operation {} on {} failed unexpectedly", op.id(), r.id(), e);
              } finally {
                // No wake-up here: what the operation wrote wakes every replica, and a parent
                // waiting for its children is looked at again on the next tick.
                inFlight.remove(r.id().key());
              }
            });
      }
    }
    Map<String, ConnectorDefinition> desired = new HashMap<>();
    Map<String, String> fingerprints = new HashMap<>();
    Set<String> keep = new java.util.HashSet<>();
    for (StoredResource c : view.ofType(ResourceType.IOT_CONNECTOR)) {
      String name = ConnectorResources.runtimeName(c.id());
      if (c.provisioningState().equals("Deleting")) {
        continue;
      }
      Optional<StoredResource> d = view.destinationOf(c.id());
      if (d.isEmpty() || d.get().provisioningState().equals("Deleting")) {
        continue;
      }
      if (isUpdating(c) || isUpdating(d.get())) {
        keep.add(name); // the previous version runs until the new one is provisioned
        continue;
      }
      if (!c.provisioningState().equals("Succeeded")
          || !d.get().provisioningState().equals("Succeeded")) {
        continue;
      }
      Optional<StoredResource> f = view.fhirServiceOf(d.get());
      if (f.isEmpty() || f.get().provisioningState().equals("Deleting")) {
        continue;
      }
      String fingerprint = c.etag() + d.get().etag() + f.get().etag();
      fingerprints.put(name, fingerprint);
      if (fingerprint.equals(runningFingerprints.get(name))) {
        continue;
      }
      ConnectorResources.Built built = resources.build(c, d.get(), f.get());
      if (built.definition() == null) {
        LOG.warn("Connector {} cannot run: {}", name, String.join("; ", built.problems()));
        continue;
      }
      desired.put(name, built.definition());
    }
    for (Map.Entry<String, ConnectorDefinition> e : desired.entrySet()) {
      connectors.run(e.getValue());
      runningFingerprints.put(e.getKey(), fingerprints.get(e.getKey()));
      LOG.info("Connector {} runs the version {}", e.getKey(), fingerprints.get(e.getKey()));
    }
    for (String name : new ArrayList<>(runningFingerprints.keySet())) {
      if (!fingerprints.containsKey(name) && !keep.contains(name)) {
        connectors.remove(name);
        runningFingerprints.remove(name);
        LOG.info("Connector {} stopped on this replica", name);
      }
    }
  }

  /**
   * Whether this replica runs connector {@code name} in the version of these iotconnector and
   * fhirdestination etags (a console save waits for it, so a replay right after meets the new
   * mapping). Thread-safe.
   */
  public boolean runs(String name, String iotConnectorEtag, String fhirDestinationEtag) {
    String running = runningFingerprints.get(name);
    return running != null && running.startsWith(iotConnectorEtag + fhirDestinationEtag);
  }

  private static boolean isUpdating(StoredResource r) {
    return r.operation() != null
        && r.operation().isRunning()
        && r.operation().kind().equals("update");
  }

  /** Carries out the running operation of {@code r} as it was read; ends it if still current. */
  private void carryOut(StoredResource r) {
    Operation op = r.operation();
    if (op.kind().equals("delete")) {
      delete(r);
      return;
    }
    View view = new View(store.list());
    try {
      switch (r.id().type()) {
        case IOT_CONNECTOR -> {
          Optional<StoredResource> d = view.destinationOf(r.id());
          if (d.isPresent()) {
            provision(view, r, d.get());
          }
        }
        case FHIR_DESTINATION -> {
          StoredResource c =
              view.get(r.id().parent().orElseThrow())
                  .orElseThrow(
                      () ->
                          new ProvisioningException(
                              "ParentResourceNotFound", "The iotconnector is gone.", null));
          provision(view, c, r);
        }
        default -> {
          // workspaces and fhirservices need nothing made: their connectors are provisioned.
        }
      }
      finish(r, "Succeeded", null);
    } catch (ProvisioningException e) {
      finish(r, "Failed", ArmError.of(e.code(), e.getMessage()));
    }
  }

  private void provision(View view, StoredResource connector, StoredResource destination) {
    StoredResource fhirService =
        view.fhirServiceOf(destination)
            .orElseThrow(
                () ->
                    new ProvisioningException(
                        "FhirServiceNotFound",
                        "The fhirservice '"
                            + destination
                                .body()
                                .path("properties")
                                .path("fhirServiceResourceId")
                                .asText()
                            + "' does not exist: create it (PUT .../fhirservices/{name}) and PUT the"
                            + " fhirdestination again.",
                        null));
    ConnectorResources.Built built = resources.build(connector, destination, fhirService);
    if (built.definition() == null) {
      throw new ProvisioningException(
          "InvalidConnectorSettings", String.join("; ", built.problems()), null);
    }
    provisioning.provision(built.definition());
  }

  /** Ends the operation: state and status written only if the resource did not change since. */
  private void finish(StoredResource r, String state, ArmError error) {
    Operation op = r.operation();
    ObjectNode b = r.body().deepCopy();
    b.withObject("properties").put("provisioningState", state);
    Operation done =
        new Operation(op.id(), state, op.kind(), op.startTime(), clock.instant(), error);
    try {
      store.put(new StoredResource(r.id(), null, b, r.secrets(), done), Expect.etag(r.etag()));
      if (error != null) {
        LOG.warn("{} of {} failed: {} {}", op.kind(), r.id(), error.code(), error.message());
      } else {
        LOG.info("{} of {} succeeded", op.kind(), r.id());
      }
    } catch (ResourceStore.PreconditionFailedException e) {
      LOG.debug("{} of {} was ended elsewhere or superseded", op.kind(), r.id());
    }
  }

  private void delete(StoredResource r) {
    View view = new View(store.list());
    List<StoredResource> children = view.childrenOf(r.id());
    if (!children.isEmpty()) {
      // A workspace's fhirservices go after its iotconnectors: deprovisioning reads them.
      boolean connectorsLeft =
          children.stream().anyMatch(c -> c.id().type() == ResourceType.IOT_CONNECTOR);
      for (StoredResource child : children) {
        if (connectorsLeft && child.id().type() == ResourceType.FHIR_SERVICE) {
          continue;
        }
        if (!child.provisioningState().equals("Deleting")) {
          try {
            store.put(
                ManagementService.markDeleting(child, null, clock.instant()),
                Expect.etag(child.etag()));
          } catch (ResourceStore.PreconditionFailedException e) {
            LOG.debug("{} changed while its parent was being deleted; retrying", child.id());
          }
        }
      }
      if (r.id().type() != ResourceType.IOT_CONNECTOR) {
        return; // the children go first; the next pass finds none and removes the parent
      }
    }
    if (r.id().type() == ResourceType.IOT_CONNECTOR) {
      String name = ConnectorResources.runtimeName(r.id());
      connectors.remove(name);
      Optional<StoredResource> d = view.destinationOf(r.id());
      // Its fhirservice may be gone already: the topics and checkpoints do not depend on it.
      Optional<StoredResource> f =
          d.map(x -> view.fhirServiceOf(x).orElse(placeholderFhirService(r.id())));
      // Without a destination (or with one that no longer builds) the topics and groups of an
      // earlier one go by their default names; Event Hubs checkpoints need the full definition.
      ConnectorDefinition definition =
          d.isPresent() && f.isPresent() ? resources.build(r, d.get(), f.get()).definition() : null;
      try {
        provisioning.deprovision(
            definition != null ? definition : ConnectorResources.skeleton(r.id()));
      } catch (ProvisioningException e) {
        finish(r, "Failed", ArmError.of(e.code(), e.getMessage()));
        return;
      }
      for (StoredResource child : children) {
        store.delete(child.id(), Expect.ANY);
      }
    }
    try {
      store.delete(r.id(), Expect.etag(r.etag()));
      LOG.info("delete of {} succeeded", r.id());
    } catch (ResourceStore.PreconditionFailedException e) {
      LOG.debug("{} was removed elsewhere", r.id());
    }
  }

  /** A stand-in for a fhirservice deleted before its connector: only the topics matter then. */
  private static StoredResource placeholderFhirService(ResourceId connector) {
    ObjectNode b = ManagementService.JSON.createObjectNode();
    b.withObject("properties").withObject("iomt").put("url", "https://deleted.invalid/fhir");
    return new StoredResource(
        ResourceId.workspace(
                connector.subscription(), connector.resourceGroup(), connector.workspace())
            .child(ResourceType.FHIR_SERVICE, "deleted"),
        "\"deleted\"",
        b,
        Map.of(),
        null);
  }

  @Override
  public void close() {
    closed = true;
    loop.interrupt();
    operations.shutdownNow();
    try {
      loop.join(TimeUnit.SECONDS.toMillis(10));
      operations.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A consistent list of the store's resources, with the lookups reconciling needs. */
  private static final class View {
    final List<StoredResource> all;

    View(List<StoredResource> all) {
      this.all = all;
    }

    Optional<StoredResource> get(ResourceId id) {
      return all.stream().filter(r -> r.id().equalsKey(id)).findFirst();
    }

    List<StoredResource> ofType(ResourceType type) {
      return all.stream().filter(r -> r.id().type() == type).toList();
    }

    List<StoredResource> childrenOf(ResourceId id) {
      return all.stream().filter(r -> r.id().parent().map(id::equalsKey).orElse(false)).toList();
    }

    Optional<StoredResource> destinationOf(ResourceId connector) {
      return childrenOf(connector).stream()
          .filter(r -> r.id().type() == ResourceType.FHIR_DESTINATION)
          .findFirst();
    }

    Optional<StoredResource> fhirServiceOf(StoredResource destination) {
      return ResourceId.parse(
              destination.body().path("properties").path("fhirServiceResourceId").asText(null))
          .flatMap(this::get);
    }
  }
}
