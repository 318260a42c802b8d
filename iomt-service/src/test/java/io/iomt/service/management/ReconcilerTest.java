package io.iomt.service.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.pipeline.Connector;
import io.iomt.service.IomtProperties;
import io.iomt.service.ServiceConfiguration.ConnectorDefinition;
import io.iomt.service.management.ResourceStore.Expect;
import io.iomt.service.management.StoredResource.Operation;
import io.iomt.testkit.Await;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler against the in-memory store, with a provisioning and a runtime that record what
 * they are asked: operations end once, on every replica's view; connectors run, swap and stop.
 */
class ReconcilerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ResourceId WS = ResourceId.workspace("sub", "rg", "ws1");
  private static final ResourceId CONNECTOR = WS.child(ResourceType.IOT_CONNECTOR, "hr");
  private static final ResourceId DESTINATION =
      CONNECTOR.child(ResourceType.FHIR_DESTINATION, "dest");
  private static final ResourceId FHIR = WS.child(ResourceType.FHIR_SERVICE, "fhir1");

  private final InMemoryResourceStore store = new InMemoryResourceStore();
  private final RecordingProvisioning provisioning = new RecordingProvisioning();
  private final RecordingConnectors connectors = new RecordingConnectors();
  private Reconciler reconciler;

  @BeforeEach
  void start() {
    reconciler = reconciler();
    reconciler.start();
  }

  @AfterEach
  void stop() {
    reconciler.close();
  }

  private Reconciler reconciler() {
    ConnectorResources resources =
        new ConnectorResources(
            (name, settings, device, deviceLabel, fhir, fhirLabel) ->
                new ConnectorResources.Built(definition(name, settings), List.of()),
            new IomtProperties.CheckpointAccount());
    return new Reconciler(store, resources, provisioning, connectors, Clock.systemUTC());
  }

  @Test
  void aConnectorWithItsDestinationIsProvisionedOnceItsOperationsSucceedAndItRuns() {
    createAll();

    awaitState(DESTINATION, "Succeeded");
    awaitState(CONNECTOR, "Succeeded");
    awaitState(FHIR, "Succeeded");
    Await.atMost(WAIT)
        .until("the connector runs", () -> connectors.running.containsKey("ws1-hr"), b -> b);
    assertThat(provisioning.provisioned).contains("ws1-hr");
    assertThat(store.get(DESTINATION).orElseThrow().operation().status()).isEqualTo("Succeeded");
    assertThat(store.get(DESTINATION).orElseThrow().operation().endTime()).isNotNull();
  }

  @Test
  void aProvisioningFailureEndsTheOperationFailedWithItsReasonAndNothingRuns() {
    provisioning.failWith = "FhirServerUnreachable";
    createAll();

    awaitState(DESTINATION, "Failed");
    Operation op = store.get(DESTINATION).orElseThrow().operation();
    assertThat(op.status()).isEqualTo("Failed");
    assertThat(op.error().code()).isEqualTo("FhirServerUnreachable");
    assertThat(connectors.running).doesNotContainKey("ws1-hr");
  }

  @Test
  void anOperationLeftRunningByAKilledReplicaIsCarriedOutByTheNextReconciler() {
    reconciler.close();
    createAll(); // stored with running operations, and no reconciler alive to end them
    assertThat(store.get(DESTINATION).orElseThrow().provisioningState()).isEqualTo("Creating");

    reconciler = reconciler();
    reconciler.start();

    awaitState(DESTINATION, "Succeeded");
    Await.atMost(WAIT)
        .until("the connector runs", () -> connectors.running.containsKey("ws1-hr"), b -> b);
  }

  @Test
  void aChangedConnectorIsSwappedLiveAfterItsUpdateIsProvisioned() {
    createAll();
    Await.atMost(WAIT)
        .until("the connector runs", () -> connectors.running.containsKey("ws1-hr"), b -> b);
    int runsBefore = connectors.runs.size();

    StoredResource current = store.get(CONNECTOR).orElseThrow();
    put(CONNECTOR, current.body().deepCopy(), "update", Expect.etag(current.etag()));

    awaitState(CONNECTOR, "Succeeded");
    Await.atMost(WAIT)
        .until("the new version runs", () -> connectors.runs.size() > runsBefore, b -> b);
    assertThat(connectors.removed).isEmpty();
  }

  @Test
  void aDeletedConnectorStopsIsDeprovisionedAndGoesWithItsDestination() {
    createAll();
    Await.atMost(WAIT)
        .until("the connector runs", () -> connectors.running.containsKey("ws1-hr"), b -> b);

    StoredResource c = store.get(CONNECTOR).orElseThrow();
    store.put(ManagementService.markDeleting(c, null, Instant.now()), Expect.etag(c.etag()));

    Await.atMost(WAIT).until("the connector is gone", () -> store.get(CONNECTOR).isEmpty(), b -> b);
    assertThat(store.get(DESTINATION)).isEmpty();
    assertThat(connectors.running).doesNotContainKey("ws1-hr");
    assertThat(provisioning.deprovisioned).containsExactly("ws1-hr");
    assertThat(store.get(FHIR)).isPresent();
  }

  @Test
  void aConnectorDeletedWithoutADestinationStillHasItsTopicsAndGroupsRemoved() {
    put(WS, body(), "create", Expect.ABSENT);
    ObjectNode connector = body();
    connector
        .withObject("properties")
        .withObject("deviceMapping")
        .set("content", JSON.createObjectNode().put("templateType", "CollectionContent"));
    put(CONNECTOR, connector, "create", Expect.ABSENT);
    awaitState(CONNECTOR, "Succeeded");

    StoredResource c = store.get(CONNECTOR).orElseThrow();
    store.put(ManagementService.markDeleting(c, null, Instant.now()), Expect.etag(c.etag()));

    Await.atMost(WAIT).until("the connector is gone", () -> store.get(CONNECTOR).isEmpty(), b -> b);
    assertThat(provisioning.deprovisioned).containsExactly("ws1-hr");
  }

  @Test
  void aDeletedWorkspaceTakesItsChildrenWithIt() {
    createAll();
    awaitState(DESTINATION, "Succeeded");

    StoredResource ws = store.get(WS).orElseThrow();
    store.put(ManagementService.markDeleting(ws, null, Instant.now()), Expect.etag(ws.etag()));

    Await.atMost(WAIT).until("the workspace is gone", () -> store.list().isEmpty(), b -> b);
    assertThat(provisioning.deprovisioned).containsExactly("ws1-hr");
  }

  private void createAll() {
    put(WS, body(), "create", Expect.ABSENT);
    ObjectNode fhir = body();
    fhir.withObject("properties").withObject("iomt").put("url", "http://127.0.0.1:1/fhir");
    put(FHIR, fhir, "create", Expect.ABSENT);
    ObjectNode connector = body();
    connector
        .withObject("properties")
        .withObject("deviceMapping")
        .set("content", JSON.createObjectNode().put("templateType", "CollectionContent"));
    put(CONNECTOR, connector, "create", Expect.ABSENT);
    ObjectNode destination = body();
    ObjectNode p = destination.withObject("properties");
    p.put("resourceIdentityResolutionType", "Create");
    p.put("fhirServiceResourceId", FHIR.toString());
    p.withObject("fhirMapping")
        .set("content", JSON.createObjectNode().put("templateType", "CollectionFhirTemplate"));
    put(DESTINATION, destination, "create", Expect.ABSENT);
  }

  private static ObjectNode body() {
    ObjectNode b = JSON.createObjectNode();
    b.put("location", "westus");
    b.withObject("properties");
    return b;
  }

  private void put(ResourceId id, ObjectNode body, String kind, Expect expect) {
    body.withObject("properties")
        .put("provisioningState", kind.equals("create") ? "Creating" : "Updating");
    Operation op =
        new Operation(
            java.util.UUID.randomUUID().toString(), "Running", kind, Instant.now(), null, null);
    store.put(new StoredResource(id, null, body, Map.of(), op), expect);
    reconciler.wake();
  }

  private void awaitState(ResourceId id, String state) {
    Await.atMost(WAIT)
        .until(
            id.name() + " " + state,
            () -> store.get(id).map(StoredResource::provisioningState).orElse("absent"),
            state::equals);
  }

  private static ConnectorDefinition definition(String name, IomtProperties.Connector c) {
    Connector.Settings settings =
        new Connector.Settings(
            name,
            new Connector.Topics(name + "-events", name + "-normalized", name + "-errors"),
            c.getPartitions(),
            null,
            null,
            null,
            null,
            Duration.ofMillis(200),
            Duration.ofSeconds(1),
            Duration.ofSeconds(30));
    return new ConnectorDefinition(settings, null, null, null);
  }

  /** Records provisioning calls; fails them with a code when asked. */
  private static final class RecordingProvisioning implements ConnectorProvisioning {
    final List<String> provisioned = new CopyOnWriteArrayList<>();
    final List<String> deprovisioned = new CopyOnWriteArrayList<>();
    volatile String failWith;

    @Override
    public void provision(ConnectorDefinition connector) {
      if (failWith != null) {
        throw new ProvisioningException(failWith, "refused in the test", null);
      }
      provisioned.add(connector.name());
    }

    @Override
    public void deprovision(ConnectorDefinition connector) {
      deprovisioned.add(connector.name());
    }
  }

  /** Records which connectors run. */
  private static final class RecordingConnectors implements Reconciler.Connectors {
    final Map<String, ConnectorDefinition> running = new ConcurrentHashMap<>();
    final List<String> runs = new CopyOnWriteArrayList<>();
    final Set<String> removed = ConcurrentHashMap.newKeySet();

    @Override
    public void run(ConnectorDefinition definition) {
      running.put(definition.name(), definition);
      runs.add(definition.name());
    }

    @Override
    public void remove(String name) {
      if (running.remove(name) != null) {
        removed.add(name);
      }
    }
  }
}
