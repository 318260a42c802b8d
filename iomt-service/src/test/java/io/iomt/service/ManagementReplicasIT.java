package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.iomt.embedded.kafka.EmbeddedKafkaBroker;
import io.iomt.pipeline.Connector;
import io.iomt.pipeline.StageName;
import io.iomt.testkit.Await;
import io.iomt.testkit.FaultInjectingProxy;
import io.iomt.testkit.HapiFhirServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replicas sharing one broker: what one replica's API creates runs on all of them and what another
 * deletes stops everywhere; a replica killed (SIGKILL) while provisioning leaves nothing stuck in
 * {@code Creating}. The broker is a real KRaft broker, the FHIR server a real HAPI JPA server.
 */
class ManagementReplicasIT {
  static final Duration OPERATION = Duration.ofSeconds(90);
  static EmbeddedKafkaBroker broker;
  static HapiFhirServer fhir;
  static Path root;

  @BeforeAll
  static void start() throws Exception {
    fhir = HapiFhirServer.shared();
    root = Files.createTempDirectory("iomt-management-replicas");
    broker = EmbeddedKafkaBroker.start(root.resolve("broker"));
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  private static Map<String, Object> replica(String name, String topic) {
    Map<String, Object> p = ManagementApiIT.managementService(root.resolve(name), fhir.baseUrl());
    p.put("iomt.kafka.bootstrap-servers", broker.bootstrapServers());
    p.put("iomt.management.topic", topic);
    p.put("iomt.connectors.test.source-topic", name + "-events");
    p.put("iomt.connectors.test.normalized-topic", name + "-normalized");
    p.put("iomt.connectors.test.error-topic", name + "-errors");
    return new HashMap<>(p);
  }

  private static String workspace(String sub) {
    return "/subscriptions/"
        + sub
        + "/resourceGroups/ward/providers/Microsoft.HealthcareApis/workspaces/icu";
  }

  private static void createConnector(ArmClient arm, String ws, String fhirUrl) {
    ManagementApiIT.created(arm, arm.put(ws, "{\"location\":\"westus\"}"));
    ManagementApiIT.created(
        arm, arm.put(ws + "/fhirservices/fhir1", ManagementApiIT.fhirService(fhirUrl)));
    ManagementApiIT.created(
        arm, arm.put(ws + "/iotconnectors/heart", ManagementApiIT.ingestConnector(4)));
  }

  private static String destination(String ws) {
    return ArmClient.resource("arm-examples/iotconnector_fhirdestination_Create.json")
        .replace(
            "subscriptions/11111111-2222-3333-4444-555566667777/resourceGroups/myrg/providers"
                + "/Microsoft.HealthcareApis/workspaces/myworkspace/fhirservices/myfhirservice",
            ws.substring(1) + "/fhirservices/fhir1");
  }

  /** Members of the connector's group stage and how many partitions each holds. */
  private static List<Integer> groupMembers(String connector) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      String group = Connector.groupId(connector, StageName.GROUP);
      ConsumerGroupDescription d =
          admin.describeConsumerGroups(List.of(group)).all().get().get(group);
      return d.members().stream()
          .map(MemberDescription::assignment)
          .map(a -> a.topicPartitions().size())
          .toList();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aConnectorCreatedThroughOneReplicaRunsOnBothAndDeletedThroughTheOtherStopsOnBoth()
      throws Exception {
    String ws = workspace("22222222-0000-0000-0000-000000000001");
    try (RunningService a = RunningService.start(replica("replica-a", "iomt-management-two"));
        RunningService b = RunningService.start(replica("replica-b", "iomt-management-two"))) {
      ArmClient armA = ArmClient.withKey(a.baseUrl, ManagementApiIT.CONTRIBUTOR_KEY);
      ArmClient armB = ArmClient.withKey(b.baseUrl, ManagementApiIT.CONTRIBUTOR_KEY);
      armA.awaitReady();
      armB.awaitReady();
      createConnector(armA, ws, fhir.baseUrl());
      ManagementApiIT.created(
          armA, armA.put(ws + "/iotconnectors/heart/fhirdestinations/dest", destination(ws)));

      // B serves what A wrote, and both replicas run the connector: its 4 partitions split.
      assertThat(
              armB.get(ws + "/iotconnectors/heart")
                  .json()
                  .at("/properties/provisioningState")
                  .asText())
          .isEqualTo("Succeeded");
      Await.atMost(Duration.ofSeconds(60))
          .every(Duration.ofMillis(500))
          .until(
              "both replicas in the connector's group stage, partitions split",
              () -> groupMembers("icu-heart"),
              m -> m.size() == 2 && m.stream().allMatch(n -> n >= 1));

      String run = UUID.randomUUID().toString().substring(0, 6);
      Map<String, Integer> expected = new HashMap<>();
      for (int d = 0; d < 12; d++) {
        String device = "rep-" + run + "-" + d;
        RunningService via = d % 2 == 0 ? a : b;
        assertThat(via.ingest("icu-heart", ManagementApiIT.heartRate(device, 0, 72)).statusCode())
            .isEqualTo(202);
        expected.put(device, 1);
      }
      assertThat(FhirCounts.awaitObservations(fhir.baseUrl(), expected, Duration.ofSeconds(90)))
          .isEqualTo(expected);

      ArmClient.Response delete = armB.delete(ws + "/iotconnectors/heart");
      assertThat(delete.status()).isEqualTo(202);
      assertThat(armB.awaitOperation(delete, OPERATION).path("status").asText())
          .isEqualTo("Succeeded");
      Await.atMost(Duration.ofSeconds(30))
          .every(Duration.ofMillis(200))
          .until(
              "A sees the deletion",
              () -> armA.get(ws + "/iotconnectors/heart").status(),
              s -> s == 404);
      assertThat(a.ingest("icu-heart", "{}").statusCode()).isEqualTo(404);
      assertThat(b.ingest("icu-heart", "{}").statusCode()).isEqualTo(404);
      assertThat(groupMembers("icu-heart")).isEmpty();
    }
  }

  @Test
  void aReplicaKilledWhileProvisioningLeavesNothingStuckAndTheOperationEndsAfterItsRestart()
      throws Exception {
    String ws = workspace("22222222-0000-0000-0000-000000000002");
    Map<String, Object> props = replica("replica-c", "iomt-management-crash");
    try (FaultInjectingProxy proxy = FaultInjectingProxy.start(fhir.baseUrl())) {
      ArmClient.Response put;
      String firstUrl;
      try (ServiceProcess first = ServiceProcess.start("replica-c", props, root.resolve("logs"))) {
        firstUrl = first.baseUrl;
        ArmClient arm = ArmClient.withKey(first.baseUrl, ManagementApiIT.CONTRIBUTOR_KEY);
        arm.awaitReady();
        createConnector(arm, ws, proxy.baseUrl());
        // The FHIR server's metadata check hangs for a minute (longer than the check's timeout):
        // the replica is killed right after accepting the PUT, while it provisions.
        proxy.delayNext(5, Duration.ofSeconds(60));
        put = arm.put(ws + "/iotconnectors/heart/fhirdestinations/dest", destination(ws));
        assertThat(put.status()).isEqualTo(201);
        assertThat(put.json().at("/properties/provisioningState").asText()).isEqualTo("Creating");
        first.kill();
      }
      proxy.clearFaults();

      try (ServiceProcess second = ServiceProcess.start("replica-c", props, root.resolve("logs"))) {
        ArmClient again = ArmClient.withKey(second.baseUrl, ManagementApiIT.CONTRIBUTOR_KEY);
        again.awaitReady();
        JsonNode op =
            again.awaitOperation(
                put.header("Azure-AsyncOperation").replace(firstUrl, second.baseUrl), OPERATION);
        assertThat(op.path("status").asText()).as(op.toString()).isEqualTo("Succeeded");
        assertThat(
                again
                    .get(ws + "/iotconnectors/heart/fhirdestinations/dest")
                    .json()
                    .at("/properties/provisioningState")
                    .asText())
            .isEqualTo("Succeeded");
      }
    }
  }
}
