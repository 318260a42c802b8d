package io.iomt.service.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iomt.service.management.ManagementService.Caller;
import io.iomt.service.management.ManagementService.Result;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ARM's write semantics without HTTP: preconditions, provisioning states and operations, write-only
 * values, the one-destination rule, and the audit of every attempt.
 */
class ManagementServiceTest {
  private static final Caller ALICE = new Caller("alice", "Key");
  private static final ResourceId WS = ResourceId.workspace("sub", "rg", "ward1");
  private static final ResourceId FHIR = WS.child(ResourceType.FHIR_SERVICE, "fhir1");
  private static final ResourceId HEART = WS.child(ResourceType.IOT_CONNECTOR, "heart");

  private final InMemoryResourceStore store = new InMemoryResourceStore();
  private final List<String> audit = new ArrayList<>();
  private final ManagementService service =
      new ManagementService(
          store,
          (caller, action, id, outcome) -> audit.add(action + " " + id.name() + " " + outcome),
          new ConfigurationResources(
              "sub",
              "rg",
              "configuration",
              List.of(
                  new ConfigurationResources.Configured(
                      "test",
                      "test-events",
                      null,
                      2,
                      "{}".getBytes(StandardCharsets.UTF_8),
                      "{}".getBytes(StandardCharsets.UTF_8),
                      "http://fhir",
                      "none",
                      "Create"))),
          Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC),
          2);

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private Result put(ResourceId id, String body) {
    return service.put(id, json(body), null, null, ALICE);
  }

  @Test
  void aCreateIsStoredCreatingWithARunningOperationAndTheCallerInSystemData() {
    Result r = put(WS, "{\"location\":\"westus\"}");

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.operation().status()).isEqualTo("Running");
    assertThat(r.operation().kind()).isEqualTo("create");
    StoredResource stored = store.get(WS).orElseThrow();
    assertThat(stored.provisioningState()).isEqualTo("Creating");
    assertThat(stored.body().path("id").asText()).isEqualTo(WS.toString());
    assertThat(stored.body().at("/systemData/createdBy").asText()).isEqualTo("alice");
    assertThat(stored.body().at("/systemData/createdByType").asText()).isEqualTo("Key");
    assertThat(stored.body().at("/systemData/createdAt").asText())
        .isEqualTo("2026-11-30T10:00:00Z");
    assertThat(audit).containsExactly("PUT ward1 accepted");
  }

  @Test
  void aReplaceAnswers200UpdatingAndKeepsWhoCreatedIt() {
    put(WS, "{\"location\":\"westus\"}");
    Result r =
        service.put(WS, json("{\"location\":\"westus\"}"), null, null, new Caller("bob", "User"));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.resource().provisioningState()).isEqualTo("Updating");
    assertThat(r.resource().body().at("/systemData/createdBy").asText()).isEqualTo("alice");
    assertThat(r.resource().body().at("/systemData/lastModifiedBy").asText()).isEqualTo("bob");
  }

  @Test
  void preconditionsAreArmsIfMatchAndIfNoneMatch() {
    String etag = put(WS, "{\"location\":\"westus\"}").resource().etag();

    assertThatThrownBy(
            () -> service.put(WS, json("{\"location\":\"westus\"}"), "\"other\"", null, ALICE))
        .isInstanceOfSatisfying(ArmException.class, e -> assertThat(e.status()).isEqualTo(412));
    assertThatThrownBy(() -> service.put(WS, json("{\"location\":\"westus\"}"), null, "*", ALICE))
        .isInstanceOfSatisfying(ArmException.class, e -> assertThat(e.status()).isEqualTo(412));
    assertThat(service.put(WS, json("{\"location\":\"westus\"}"), etag, null, ALICE).status())
        .isEqualTo(200);
    assertThat(audit)
        .containsExactly(
            "PUT ward1 accepted",
            "PUT ward1 refused:PreconditionFailed",
            "PUT ward1 refused:PreconditionFailed",
            "PUT ward1 accepted");
  }

  @Test
  void aChildNeedsItsParent() {
    assertThatThrownBy(() -> put(FHIR, "{\"location\":\"westus\",\"kind\":\"fhir-R4\"}"))
        .isInstanceOfSatisfying(
            ArmException.class,
            e -> {
              assertThat(e.status()).isEqualTo(404);
              assertThat(e.error().code()).isEqualTo("ParentResourceNotFound");
            });
    assertThat(store.list()).isEmpty();
  }

  @Test
  void writeOnlyValuesAreStoredApartAndKeptWhenAPutLeavesThemOut() {
    put(WS, "{\"location\":\"westus\"}");
    put(
        FHIR,
        "{\"location\":\"westus\",\"kind\":\"fhir-R4\",\"properties\":{\"iomt\":{\"url\":"
            + "\"https://fhir.example\",\"auth\":{\"type\":\"bearer\",\"token\":\"s3cret-token\"}}}}");

    StoredResource stored = store.get(FHIR).orElseThrow();
    assertThat(stored.body().toString()).doesNotContain("s3cret-token");
    assertThat(stored.secrets()).containsEntry("/properties/iomt/auth/token", "s3cret-token");

    put(
        FHIR,
        "{\"location\":\"westus\",\"kind\":\"fhir-R4\",\"properties\":{\"iomt\":{\"url\":"
            + "\"https://fhir.example\",\"auth\":{\"type\":\"bearer\"}}}}");
    assertThat(store.get(FHIR).orElseThrow().secrets())
        .isEqualTo(Map.of("/properties/iomt/auth/token", "s3cret-token"));
  }

  @Test
  void aDeleteMarksDeletingWithAnOperationAndADeleteOfNothingIs204() {
    put(WS, "{\"location\":\"westus\"}");

    Result r = service.delete(WS, null, ALICE);
    assertThat(r.status()).isEqualTo(202);
    assertThat(store.get(WS).orElseThrow().provisioningState()).isEqualTo("Deleting");
    assertThat(r.operation().kind()).isEqualTo("delete");

    store.delete(WS, ResourceStore.Expect.ANY); // what the reconciler does once done
    assertThat(service.operation("sub", r.operation().id()).orElseThrow().status())
        .isEqualTo("Succeeded");
    assertThat(service.delete(WS, null, ALICE).status()).isEqualTo(204);
  }

  @Test
  void theConfigurationFilesConnectorsAreReadOnlyAndTheirNamesTaken() {
    ResourceId configured =
        ResourceId.workspace("sub", "rg", "configuration")
            .child(ResourceType.IOT_CONNECTOR, "test");
    assertThat(service.get(configured).body().at("/properties/iomt/readOnly").asBoolean()).isTrue();
    assertThatThrownBy(() -> service.delete(configured, null, ALICE))
        .isInstanceOfSatisfying(
            ArmException.class, e -> assertThat(e.error().code()).isEqualTo("ReadOnlyResource"));
  }

  @Test
  void patchChangesTagsAndIdentityOnlyAndAtOnce() {
    put(WS, "{\"location\":\"westus\"}");
    put(
        HEART,
        "{\"location\":\"westus\",\"properties\":{\"deviceMapping\":{\"content\":"
            + "{\"templateType\":\"CollectionContent\",\"template\":[]}}}}");

    Result r =
        service.patch(
            HEART,
            json("{\"tags\":{\"ward\":\"icu\"},\"identity\":{\"type\":\"systemassigned\"}}"),
            null,
            ALICE);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.resource().body().at("/tags/ward").asText()).isEqualTo("icu");
    assertThat(r.resource().body().at("/identity/type").asText()).isEqualTo("SystemAssigned");

    assertThatThrownBy(() -> service.patch(HEART, json("{\"location\":\"eastus\"}"), null, ALICE))
        .isInstanceOfSatisfying(
            ArmException.class,
            e -> assertThat(e.error().details()).extracting(ArmError::target).contains("location"));
  }

  @Test
  void listsArePagedInIdOrder() {
    put(WS, "{\"location\":\"westus\"}");
    for (String n : List.of("fhir-c", "fhir-a", "fhir-b")) {
      put(WS.child(ResourceType.FHIR_SERVICE, n), "{\"location\":\"westus\",\"kind\":\"fhir-R4\"}");
    }

    ManagementService.Page first = service.listChildren(WS, ResourceType.FHIR_SERVICE, null);
    assertThat(first.value()).extracting(r -> r.id().name()).containsExactly("fhir-a", "fhir-b");
    ManagementService.Page second =
        service.listChildren(WS, ResourceType.FHIR_SERVICE, first.nextSkipToken());
    assertThat(second.value()).extracting(r -> r.id().name()).containsExactly("fhir-c");
    assertThat(second.nextSkipToken()).isNull();
  }
}
