package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.messaging.eventhubs.EventData;
import com.azure.messaging.eventhubs.EventDataBatch;
import com.azure.messaging.eventhubs.EventHubClientBuilder;
import com.azure.messaging.eventhubs.EventHubProducerClient;
import com.azure.messaging.eventhubs.models.CreateBatchOptions;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.iomt.testkit.Await;
import io.iomt.testkit.FhirObservations;
import io.iomt.testkit.HapiFhirServer;
import io.iomt.testkit.SampleMessages;
import io.iomt.testkit.azure.azurite.Azurite;
import io.iomt.testkit.azure.eventhubs.EventHubsTestServer;
import io.iomt.testkit.azure.eventhubs.StoredEvent;
import io.iomt.testkit.azure.eventhubs.TestEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service reading an Event Hub over AMQP with the real Azure SDK: against the AMQP Event Hubs
 * test server of iomt-azure-testkit (no emulator runs here), with checkpoints in a real Azurite and
 * Observations in a real HAPI FHIR JPA server.
 */
class EventHubsSourceIT {
  static final String HUB = "telemetry";
  static final String CONSUMER_GROUP = "iomt";
  static final Duration CATCH_UP = Duration.ofMinutes(4);
  private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

  static HapiFhirServer fhir;
  static Azurite azurite;
  static EventHubsTestServer hubs;

  @BeforeAll
  static void startComponents() {
    fhir = HapiFhirServer.shared();
    azurite = Azurite.shared();
    hubs =
        EventHubsTestServer.start(
            EventHubsTestServer.Options.create()
                .hub(HUB, 4)
                .consumerGroup(HUB, CONSUMER_GROUP)
                .hub("iot", 2)
                .consumerGroup("iot", CONSUMER_GROUP)
                .hub("revoked", 4)
                .consumerGroup("revoked", CONSUMER_GROUP)
                .hub("replicas", 4)
                .consumerGroup("replicas", CONSUMER_GROUP)
                .sasKey("listen", "bGlzdGVuLWtleS0wMTIzNDU2Nzg5"));
  }

  @AfterAll
  static void stopComponents() {
    if (hubs != null) {
      hubs.close();
    }
  }

  /** The service's properties for connector {@code test} reading {@code hub}. */
  static Map<String, Object> eventHubsService(Path dataDir, String hub, String container) {
    Map<String, Object> p = RunningService.defaults(dataDir, fhir.baseUrl());
    p.put("iomt.connectors.test.source.type", "event-hubs");
    p.put("iomt.connectors.test.source.connection-string", hubs.connectionString(hub));
    p.put("iomt.connectors.test.source.consumerGroup", CONSUMER_GROUP);
    p.put("iomt.connectors.test.source.checkpoints.connection-string", azurite.connectionString());
    p.put("iomt.connectors.test.source.checkpoints.container", container);
    p.put("iomt.connectors.test.source.ownership-expiration", "6s");
    p.put("iomt.connectors.test.source.load-balancing-interval", "2s");
    p.put("iomt.connectors.test.partitions", "4");
    return p;
  }

  static String device(String run, int d) {
    return run + "-dev-" + d;
  }

  /**
   * {@code perDevice} heart rates of each device, sent to {@code hub} with the SDK producer keyed
   * by device. Each test reads a hub of its own: a new checkpoint container starts at the earliest
   * event, which would include another test's.
   */
  static void send(String hub, String run, int devices, int fromSecond, int perDevice) {
    try (EventHubProducerClient producer =
        new EventHubClientBuilder()
            .connectionString(hubs.connectionString(hub))
            .buildProducerClient()) {
      for (int d = 0; d < devices; d++) {
        String device = device(run, d);
        EventDataBatch batch =
            producer.createBatch(new CreateBatchOptions().setPartitionKey(device));
        for (int s = fromSecond; s < fromSecond + perDevice; s++) {
          EventData e =
              new EventData(
                  SampleMessages.heartRate(device, "p-" + device, T0.plusSeconds(s), 60 + s % 40));
          if (!batch.tryAdd(e)) {
            producer.send(batch);
            batch = producer.createBatch(new CreateBatchOptions().setPartitionKey(device));
            batch.tryAdd(e);
          }
        }
        producer.send(batch);
      }
    }
  }

  static Map<String, Integer> expected(String run, int devices, int perDevice) {
    Map<String, Integer> expected = new LinkedHashMap<>();
    for (int d = 0; d < devices; d++) {
      expected.put(device(run, d), perDevice);
    }
    return expected;
  }

  /** The value of a Prometheus sample, summed over the lines that match name and labels. */
  static double metric(String prometheus, String name, String labels) {
    Matcher m =
        Pattern.compile(
                "^" + Pattern.quote(name) + "\\{([^}]*)\\} ([-0-9.eE+NaN]+)$", Pattern.MULTILINE)
            .matcher(prometheus);
    double sum = 0;
    while (m.find()) {
      if (m.group(1).contains(labels)) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }

  /** The checkpoint blobs of the hub: partition id to its {@code sequencenumber} metadata. */
  static Map<String, Long> checkpoints(String container, String hub) {
    BlobContainerClient c =
        new BlobServiceClientBuilder()
            .connectionString(azurite.connectionString())
            .buildClient()
            .getBlobContainerClient(container);
    Map<String, Long> out = new LinkedHashMap<>();
    for (BlobItem b :
        c.listBlobs(
            new ListBlobsOptions()
                .setDetails(new BlobListDetails().setRetrieveMetadata(true))
                .setPrefix(
                    hubs.fullyQualifiedNamespace()
                        + "/"
                        + hub
                        + "/"
                        + CONSUMER_GROUP
                        + "/checkpoint/"),
            null)) {
      String partition = b.getName().substring(b.getName().lastIndexOf('/') + 1);
      out.put(partition, Long.parseLong(b.getMetadata().get("sequencenumber")));
    }
    return out;
  }

  /** Each partition's last sequence number on the server. */
  static Map<String, Long> lastSequenceNumbers(String hub, int partitions) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (int p = 0; p < partitions; p++) {
      List<StoredEvent> events = hubs.events(hub, Integer.toString(p));
      if (!events.isEmpty()) {
        out.put(Integer.toString(p), events.get(events.size() - 1).sequenceNumber());
      }
    }
    return out;
  }

  @Test
  void
      tenThousandEventsOfFiftyDevicesBecomeExactlyTheirObservationsAndARestartResumesFromTheBlobCheckpoints()
          throws Exception {
    String run = "eh-" + UUID.randomUUID().toString().substring(0, 6);
    String container = "ckpt-" + run;
    Path dataDir = Files.createTempDirectory("iomt-eventhubs-it");
    int devices = 50;
    send(HUB, run, devices, 0, 100);

    try (RunningService service = RunningService.start(eventHubsService(dataDir, HUB, container))) {
      Map<String, Integer> counts =
          FhirCounts.awaitObservations(fhir.baseUrl(), expected(run, devices, 100), CATCH_UP);
      assertThat(counts).isEqualTo(expected(run, devices, 100));
      assertThat(
              metric(
                  service.get("/actuator/prometheus", RunningService.API_KEY).body(),
                  "iomt_incoming_messages_total",
                  "connector=\"test\""))
          .isEqualTo(5000.0);
      Await.atMost(Duration.ofSeconds(30))
          .every(Duration.ofMillis(200))
          .untilSatisfies(
              "every partition checkpointed at its last event",
              () -> checkpoints(container, HUB),
              c -> assertThat(c).isEqualTo(lastSequenceNumbers(HUB, 4)));
    }

    send(HUB, run, devices, 100, 100);
    try (RunningService service = RunningService.start(eventHubsService(dataDir, HUB, container))) {
      Map<String, Integer> counts =
          FhirCounts.awaitObservations(fhir.baseUrl(), expected(run, devices, 200), CATCH_UP);
      assertThat(counts).isEqualTo(expected(run, devices, 200));
      assertThat(FhirObservations.countsOfDevices(fhir.baseUrl(), counts.keySet()))
          .as("no Observation written twice")
          .isEqualTo(expected(run, devices, 200));
      String prometheus = service.get("/actuator/prometheus", RunningService.API_KEY).body();
      assertThat(metric(prometheus, "iomt_incoming_messages_total", "connector=\"test\""))
          .as("the restarted service read only the 5,000 events after the checkpoints")
          .isEqualTo(5000.0);
      assertThat(metric(prometheus, "iomt_eventhubs_partition_owned", "connector=\"test\""))
          .isEqualTo(4.0);
      Await.atMost(Duration.ofSeconds(30))
          .every(Duration.ofMillis(200))
          .untilSatisfies(
              "every partition checkpointed at its last event",
              () -> checkpoints(container, HUB),
              c -> assertThat(c).isEqualTo(lastSequenceNumbers(HUB, 4)));
    }
  }

  @Test
  void anIotHubStreamIsReadWithTheIotJsonPathContentExampleOfTheMedTechDocumentation()
      throws Exception {
    String run = "iot-" + UUID.randomUUID().toString().substring(0, 6);
    Path dataDir = Files.createTempDirectory("iomt-eventhubs-it");
    Map<String, Object> p = eventHubsService(dataDir, "iot", "ckpt-" + run);
    p.put(
        "iomt.connectors.test.device-mapping",
        Path.of(
                "../iomt-core/src/test/resources/fixtures/device-mapping/iot-hub-heart-rate-doc-example/device-mapping.json")
            .toAbsolutePath()
            .toString());
    p.put("iomt.connectors.test.partitions", "2");
    Map<String, Integer> expected = new LinkedHashMap<>();
    for (int d = 0; d < 4; d++) {
      String device = run + "-monitor-" + d;
      expected.put(device, 10);
      for (int i = 0; i < 10; i++) {
        Instant created = T0.plusSeconds(60L * i);
        // What IoT Hub's built-in endpoint delivers: the device id and enqueued time as message
        // annotations, the device SDK's creation time as an application property.
        hubs.publish(
            "iot",
            Integer.toString(d % 2),
            TestEvent.ofText("{\"HeartRate\":\"" + (70 + i) + "\"}")
                .withMessageAnnotation("iothub-connection-device-id", device)
                .withMessageAnnotation(
                    "iothub-connection-auth-method",
                    "{\"scope\":\"device\",\"type\":\"sas\",\"issuer\":\"iothub\"}")
                .withMessageAnnotation("iothub-enqueuedtime", Date.from(created.plusSeconds(1)))
                .withMessageAnnotation("iothub-message-source", "Telemetry")
                .withApplicationProperty("iothub-creation-time-utc", created.toString()));
      }
    }

    try (RunningService service = RunningService.start(p)) {
      assertThat(FhirCounts.awaitObservations(fhir.baseUrl(), expected, CATCH_UP))
          .isEqualTo(expected);
      assertThat(
              metric(
                  service.get("/actuator/prometheus", RunningService.API_KEY).body(),
                  "iomt_eventhubs_partition_owned",
                  "connector=\"test\""))
          .isEqualTo(2.0);
      String device = run + "-monitor-0";
      assertThat(FhirObservations.effectiveTimesOfDevice(fhir.baseUrl(), device))
          .as("effective times from iothub-creation-time-utc")
          .containsExactlyInAnyOrderElementsOf(
              java.util.stream.IntStream.range(0, 10)
                  .mapToObj(i -> T0.plusSeconds(60L * i).toString())
                  .toList());
    }
  }

  @Test
  void aRevokedKeyBlocksTheSourceVisiblyConsumesNothingFurtherAndResumesWithoutLossWhenRestored()
      throws Exception {
    String run = "rev-" + UUID.randomUUID().toString().substring(0, 6);
    String container = "ckpt-" + run;
    Path dataDir = Files.createTempDirectory("iomt-eventhubs-it");
    int devices = 8;
    try (RunningService service =
        RunningService.start(eventHubsService(dataDir, "revoked", container))) {
      send("revoked", run, devices, 0, 10);
      FhirCounts.awaitObservations(fhir.baseUrl(), expected(run, devices, 10), CATCH_UP);
      Await.atMost(Duration.ofSeconds(30))
          .every(Duration.ofMillis(200))
          .untilSatisfies(
              "every partition checkpointed",
              () -> checkpoints(container, "revoked"),
              c -> assertThat(c).isEqualTo(lastSequenceNumbers("revoked", 4)));

      hubs.revokeKeys();
      try {
        // Written while access is revoked: they stay in the hub.
        for (int d = 0; d < devices; d++) {
          String device = device(run, d);
          for (int s = 10; s < 20; s++) {
            hubs.publish(
                "revoked",
                Integer.toString(d % 4),
                TestEvent.ofText(
                    SampleMessages.heartRate(device, "p-" + device, T0.plusSeconds(s), 70)));
          }
        }
        Map<String, Long> checkpointsBefore = checkpoints(container, "revoked");
        String health =
            Await.atMost(Duration.ofSeconds(60))
                .every(Duration.ofMillis(250))
                .until(
                    "the normalize stage blocked by the revoked key, in the delivery health group",
                    () -> service.read("/actuator/health/delivery", RunningService.API_KEY).body(),
                    body -> body.contains("UnauthorizedAccessEventHubException"));
        assertThat(health).contains("\"normalize\":{\"status\":\"blocked\"");
        String prometheus = service.get("/actuator/prometheus", RunningService.API_KEY).body();
        assertThat(
                metric(
                    prometheus,
                    "iomt_errors_total",
                    "name=\"UnauthorizedAccessEventHubException\""))
            .isPositive();
        assertThat(
                metric(
                    prometheus,
                    "iomt_stage_state",
                    "connector=\"test\",stage=\"normalize\",state=\"blocked\""))
            .isEqualTo(1.0);
        assertThat(checkpoints(container, "revoked")).isEqualTo(checkpointsBefore);
        assertThat(
                FhirObservations.countsOfDevices(
                    fhir.baseUrl(), expected(run, devices, 10).keySet()))
            .as("nothing consumed while the key is revoked")
            .isEqualTo(expected(run, devices, 10));
        assertThat(service.read("/actuator/health/readiness", null).statusCode())
            .as("a blocked source does not make the replica unready")
            .isEqualTo(200);
      } finally {
        hubs.restoreKeys();
      }

      Map<String, Integer> counts =
          FhirCounts.awaitObservations(fhir.baseUrl(), expected(run, devices, 20), CATCH_UP);
      assertThat(counts).isEqualTo(expected(run, devices, 20));
      assertThat(FhirObservations.countsOfDevices(fhir.baseUrl(), counts.keySet()))
          .isEqualTo(expected(run, devices, 20));
    }
  }
}
