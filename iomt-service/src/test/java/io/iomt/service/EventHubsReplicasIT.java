package io.iomt.service;

import static io.iomt.service.EventHubsSourceIT.CATCH_UP;
import static io.iomt.service.EventHubsSourceIT.expected;
import static io.iomt.service.EventHubsSourceIT.metric;
import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.embedded.kafka.EmbeddedKafkaBroker;
import io.iomt.testkit.Await;
import io.iomt.testkit.FhirObservations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the service, each its own JVM, share an Event Hub's 4 partitions through the
 * ownership blobs of one checkpoint container; one is killed (SIGKILL) mid-stream. The hub is the
 * AMQP test server, the checkpoints a real Azurite, the broker both replicas share a real KRaft
 * broker, the FHIR server a real HAPI JPA server.
 */
class EventHubsReplicasIT {
  static EmbeddedKafkaBroker broker;
  static Path root;

  @BeforeAll
  static void start() throws Exception {
    EventHubsSourceIT.startComponents();
    root = Files.createTempDirectory("iomt-eventhubs-replicas");
    broker = EmbeddedKafkaBroker.start(root.resolve("broker"));
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
    EventHubsSourceIT.stopComponents();
  }

  private static ServiceProcess replica(String name, String container) {
    Map<String, Object> p =
        EventHubsSourceIT.eventHubsService(root.resolve(name), "replicas", container);
    p.put("iomt.kafka.bootstrap-servers", broker.bootstrapServers());
    return ServiceProcess.start(name, p, root.resolve("logs"));
  }

  private static double owned(ServiceProcess replica) {
    return metric(
        replica.get("/actuator/prometheus"),
        "iomt_eventhubs_partition_owned",
        "connector=\"test\"");
  }

  @Test
  void theSurvivorTakesOverTheKilledReplicasPartitionsAndFhirHoldsExactlyTheExpectedObservations()
      throws Exception {
    String run = "rep-" + UUID.randomUUID().toString().substring(0, 6);
    String container = "ckpt-" + run;
    int devices = 40;
    try (ServiceProcess a = replica("replica-a", container);
        ServiceProcess b = replica("replica-b", container)) {
      Await.atMost(Duration.ofSeconds(90))
          .every(Duration.ofMillis(500))
          .until(
              "the 4 partitions shared by both replicas (logs: " + a.log + ", " + b.log + ")",
              () -> new double[] {owned(a), owned(b)},
              o -> o[0] >= 1 && o[1] >= 1 && o[0] + o[1] == 4);

      EventHubsSourceIT.send("replicas", run, devices, 0, 50);
      // Mid-stream: some of it is in FHIR, the rest is being read by both.
      Await.atMost(CATCH_UP)
          .every(Duration.ofMillis(200))
          .until(
              "the first Observations",
              () -> FhirObservations.countOfDevice(fhir(), EventHubsSourceIT.device(run, 0)),
              n -> n > 0);
      a.kill();
      EventHubsSourceIT.send("replicas", run, devices, 50, 50);

      Await.atMost(Duration.ofSeconds(90))
          .every(Duration.ofMillis(500))
          .until(
              "the survivor owning all 4 partitions (log: " + b.log + ")",
              () -> owned(b),
              o -> o == 4.0);
      Map<String, Integer> counts =
          FhirCounts.awaitObservations(fhir(), expected(run, devices, 100), CATCH_UP);
      assertThat(counts).isEqualTo(expected(run, devices, 100));
      assertThat(FhirObservations.countsOfDevices(fhir(), counts.keySet()))
          .as("no Observation written twice")
          .isEqualTo(expected(run, devices, 100));
    }
  }

  private static String fhir() {
    return EventHubsSourceIT.fhir.baseUrl();
  }
}
