package io.iomt.service.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.service.management.ResourceStore.Change;
import io.iomt.service.management.ResourceStore.Expect;
import io.iomt.service.management.ResourceStore.PreconditionFailedException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ResourceStore} does; each implementation's test extends it with {@link
 * #newStore()}.
 */
abstract class ResourceStoreContract {
  static final ResourceId WORKSPACE = ResourceId.workspace("sub-1", "rg-1", "ws-1");
  static final ResourceId CONNECTOR = WORKSPACE.child(ResourceType.IOT_CONNECTOR, "Connector-1");
  static final ResourceId DESTINATION =
      CONNECTOR.child(ResourceType.FHIR_DESTINATION, "destination-1");

  protected ResourceStore store;

  /** A new store, not started, on storage of its own. */
  protected abstract ResourceStore newStore();

  @BeforeEach
  void startStore() {
    store = newStore();
    store.start();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  /** A resource as the API would store it, with a secret and a finished operation. */
  static StoredResource resource(ResourceId id, String provisioningState) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("id", id.toString());
    body.put("name", id.name());
    body.put("type", id.type().armType());
    body.put("location", "westeurope");
    body.putObject("properties").put("provisioningState", provisioningState);
    ArmError error =
        new ArmError(
            "InvalidMapping",
            "2 problems",
            "properties.deviceMapping",
            List.of(ArmError.of("MissingField", "typeName is required", "template[0]")));
    return new StoredResource(
        id,
        null,
        body,
        Map.of("/properties/iomt/auth/clientSecret", "s3cret-" + provisioningState),
        new StoredResource.Operation(
            UUID.randomUUID().toString(),
            "Failed",
            "create",
            Instant.parse("2026-12-01T10:15:30.123Z"),
            Instant.parse("2026-12-01T10:15:31Z"),
            error));
  }

  @Test
  void aResourceThatWasPutIsReturnedWholeByGetAndList() {
    StoredResource connector = store.put(resource(CONNECTOR, "Succeeded"), Expect.ANY);
    StoredResource workspace = store.put(resource(WORKSPACE, "Succeeded"), Expect.ABSENT);

    assertThat(store.get(CONNECTOR)).contains(connector);
    assertThat(connector.body()).isEqualTo(resource(CONNECTOR, "Succeeded").body());
    assertThat(connector.secrets())
        .containsExactly(Map.entry("/properties/iomt/auth/clientSecret", "s3cret-Succeeded"));
    assertThat(connector.operation().error().details()).hasSize(1);
    assertThat(store.list()).containsExactly(workspace, connector);
  }

  @Test
  void idsAreComparedIgnoringCase() {
    StoredResource stored = store.put(resource(CONNECTOR, "Succeeded"), Expect.ANY);

    ResourceId otherSpelling = ResourceId.parse(CONNECTOR.toString().toUpperCase()).orElseThrow();
    assertThat(store.get(otherSpelling)).contains(stored);
    assertThat(store.get(otherSpelling).orElseThrow().id().toString())
        .isEqualTo(CONNECTOR.toString());
  }

  @Test
  void everyPutGivesTheResourceANewQuotedEtag() {
    StoredResource first = store.put(resource(WORKSPACE, "Creating"), Expect.ANY);
    StoredResource second = store.put(resource(WORKSPACE, "Succeeded"), Expect.ANY);

    assertThat(first.etag()).startsWith("\"").endsWith("\"");
    assertThat(second.etag()).isNotEqualTo(first.etag());
    assertThat(store.get(WORKSPACE).orElseThrow().etag()).isEqualTo(second.etag());
    assertThat(store.get(WORKSPACE).orElseThrow().provisioningState()).isEqualTo("Succeeded");
  }

  @Test
  void aPutWhoseIfMatchEtagIsStaleIsRefusedWithTheCurrentVersion() {
    StoredResource first = store.put(resource(WORKSPACE, "Creating"), Expect.ANY);
    StoredResource second = store.put(resource(WORKSPACE, "Succeeded"), Expect.etag(first.etag()));

    assertThatThrownBy(() -> store.put(resource(WORKSPACE, "Failed"), Expect.etag(first.etag())))
        .isInstanceOfSatisfying(
            PreconditionFailedException.class, e -> assertThat(e.current()).isEqualTo(second));
    assertThat(store.get(WORKSPACE)).contains(second);
  }

  @Test
  void aPutWithIfNoneMatchOnAnExistingResourceIsRefused() {
    StoredResource first = store.put(resource(WORKSPACE, "Succeeded"), Expect.ABSENT);

    assertThatThrownBy(() -> store.put(resource(WORKSPACE, "Failed"), Expect.ABSENT))
        .isInstanceOfSatisfying(
            PreconditionFailedException.class, e -> assertThat(e.current()).isEqualTo(first));
    assertThat(store.get(WORKSPACE)).contains(first);
  }

  @Test
  void aPutThatExpectsAVersionOfAMissingResourceIsRefusedWithNoCurrentVersion() {
    assertThatThrownBy(() -> store.put(resource(WORKSPACE, "Succeeded"), Expect.etag("\"x\"")))
        .isInstanceOfSatisfying(
            PreconditionFailedException.class, e -> assertThat(e.current()).isNull());
    assertThatThrownBy(() -> store.put(resource(WORKSPACE, "Succeeded"), Expect.PRESENT))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(store.get(WORKSPACE)).isEmpty();
    assertThat(store.list()).isEmpty();
  }

  @Test
  void aDeleteHappensOnlyWhenItsExpectationMatches() {
    StoredResource first = store.put(resource(DESTINATION, "Creating"), Expect.ANY);
    StoredResource second = store.put(resource(DESTINATION, "Succeeded"), Expect.ANY);

    assertThatThrownBy(() -> store.delete(DESTINATION, Expect.etag(first.etag())))
        .isInstanceOfSatisfying(
            PreconditionFailedException.class, e -> assertThat(e.current()).isEqualTo(second));
    assertThat(store.get(DESTINATION)).contains(second);

    store.delete(DESTINATION, Expect.etag(second.etag()));
    assertThat(store.get(DESTINATION)).isEmpty();
    assertThat(store.list()).isEmpty();
  }

  @Test
  void deletingAMissingResourceDoesNothingUnlessItMustExist() {
    store.delete(WORKSPACE, Expect.ANY);

    assertThatThrownBy(() -> store.delete(WORKSPACE, Expect.PRESENT))
        .isInstanceOfSatisfying(
            PreconditionFailedException.class, e -> assertThat(e.current()).isNull());
    assertThat(store.get(WORKSPACE)).isEmpty();
  }

  @Test
  void aResourceCanBeCreatedAgainAfterItsDeletion() {
    store.put(resource(WORKSPACE, "Succeeded"), Expect.ABSENT);
    store.delete(WORKSPACE, Expect.PRESENT);

    StoredResource again = store.put(resource(WORKSPACE, "Creating"), Expect.ABSENT);

    assertThat(store.get(WORKSPACE)).contains(again);
  }

  @Test
  void listenersSeeEveryChangeInOrderEvenWhenAnotherListenerFails() {
    List<Change> seen = new CopyOnWriteArrayList<>();
    store.subscribe(
        c -> {
          throw new IllegalStateException("a broken listener");
        });
    store.subscribe(seen::add);

    StoredResource ws1 = store.put(resource(WORKSPACE, "Creating"), Expect.ABSENT);
    StoredResource ws2 = store.put(resource(WORKSPACE, "Succeeded"), Expect.etag(ws1.etag()));
    StoredResource connector = store.put(resource(CONNECTOR, "Creating"), Expect.ABSENT);
    assertThatThrownBy(() -> store.put(resource(WORKSPACE, "Failed"), Expect.ABSENT))
        .isInstanceOf(PreconditionFailedException.class);
    store.delete(WORKSPACE, Expect.ANY);
    store.awaitCurrent(Duration.ofSeconds(30));

    assertThat(seen)
        .containsExactly(
            new Change(WORKSPACE, null, ws1),
            new Change(WORKSPACE, ws1, ws2),
            new Change(CONNECTOR, null, connector),
            new Change(WORKSPACE, ws2, null));
  }
}
