package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import io.iomt.embedded.kafka.EmbeddedKafkaBroker;
import io.iomt.pipeline.Connector;
import io.iomt.pipeline.KafkaClients;
import io.iomt.pipeline.StageName;
import io.iomt.service.ServiceConfiguration.ConnectorDefinition;
import io.iomt.service.management.ConnectorProvisioning.ProvisioningException;
import io.iomt.testkit.HapiFhirServer;
import io.iomt.testkit.azure.azurite.Azurite;
import io.iomt.testkit.azure.eventhubs.EventHubsTestServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Provisioning against the real things: the embedded KRaft broker, a real HAPI FHIR JPA server,
 * Azurite for checkpoint containers and the AMQP Event Hubs test server of iomt-azure-testkit.
 */
class KafkaConnectorProvisioningIT {
  static final String HUB = "telemetry";
  static final String CONSUMER_GROUP = "iomt";

  static EmbeddedKafkaBroker broker;
  static HapiFhirServer fhir;
  static Azurite azurite;
  static EventHubsTestServer hubs;
  static KafkaClients clients;
  static ServiceConfiguration config;
  static KafkaConnectorProvisioning provisioning;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedKafkaBroker.start(Files.createTempDirectory("iomt-provisioning-it"));
    fhir = HapiFhirServer.shared();
    azurite = Azurite.shared();
    hubs =
        EventHubsTestServer.start(
            EventHubsTestServer.Options.create()
                .hub(HUB, 2)
                .consumerGroup(HUB, CONSUMER_GROUP)
                .sasKey("listen", "bGlzdGVuLWtleS0wMTIzNDU2Nzg5"));
    clients = new KafkaClients(Map.of("bootstrap.servers", broker.bootstrapServers()));
    IomtProperties p = new IomtProperties();
    p.getIngest().getApiKeys().add("0123456789abcdef0123");
    config = ServiceConfiguration.from(p, Clock.systemUTC());
    provisioning =
        new KafkaConnectorProvisioning(
            clients, () -> null, Duration.ofSeconds(20), Duration.ofSeconds(20), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    if (hubs != null) {
      hubs.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  static ConnectorDefinition definition(String name, IomtProperties.Connector c) throws Exception {
    var checked =
        config.connector(
            name,
            c,
            new ServiceConfiguration.MappingContent(
                "device",
                Files.readAllBytes(RunningService.SAMPLES.resolve("device-mapping.json"))),
            new ServiceConfiguration.MappingContent(
                "fhir", Files.readAllBytes(RunningService.SAMPLES.resolve("fhir-mapping.json"))),
            List.of());
    assertThat(checked).isInstanceOf(ServiceConfiguration.CheckedConnector.Valid.class);
    return ((ServiceConfiguration.CheckedConnector.Valid) checked).definition();
  }

  static IomtProperties.Connector ingestConnector(String fhirUrl, int partitions) {
    IomtProperties.Connector c = new IomtProperties.Connector();
    c.getFhir().setUrl(fhirUrl);
    c.setPartitions(partitions);
    return c;
  }

  static IomtProperties.Connector eventHubsConnector(String connectionString, String container) {
    IomtProperties.Connector c = ingestConnector(fhir.baseUrl(), 2);
    c.getSource().setType("event-hubs");
    c.getSource().setConnectionString(connectionString);
    c.getSource().setConsumerGroup(CONSUMER_GROUP);
    c.getSource().getCheckpoints().setConnectionString(azurite.connectionString());
    c.getSource().getCheckpoints().setContainer(container);
    return c;
  }

  static String name(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  static Map<String, TopicDescription> topics(Admin admin, String name) throws Exception {
    Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
    List<String> mine = existing.stream().filter(t -> t.startsWith(name + "-")).toList();
    return admin.describeTopics(mine).allTopicNames().get(10, TimeUnit.SECONDS);
  }

  static BlobContainerClient container(String name) {
    return new BlobServiceClientBuilder()
        .connectionString(azurite.connectionString())
        .buildClient()
        .getBlobContainerClient(name);
  }

  @Test
  void provisioningMakesTheTopicsWithTheirPartitionsAndDeprovisioningRemovesTopicsAndGroups()
      throws Exception {
    String name = name("topics");
    ConnectorDefinition d = definition(name, ingestConnector(fhir.baseUrl(), 3));

    provisioning.provision(d);
    provisioning.provision(d); // idempotent

    try (Admin admin = clients.admin()) {
      Map<String, TopicDescription> made = topics(admin, name);
      assertThat(made).containsOnlyKeys(name + "-events", name + "-normalized", name + "-errors");
      assertThat(made.get(name + "-events").partitions()).hasSize(3);
      assertThat(made.get(name + "-normalized").partitions()).hasSize(3);
      assertThat(made.get(name + "-errors").partitions()).hasSize(1);
      String group = Connector.groupId(name, StageName.GROUP);
      admin
          .alterConsumerGroupOffsets(
              group, Map.of(new TopicPartition(name + "-normalized", 0), new OffsetAndMetadata(0)))
          .all()
          .get(10, TimeUnit.SECONDS);
      assertThat(admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS))
          .anySatisfy(g -> assertThat(g.groupId()).isEqualTo(group));

      provisioning.deprovision(d);
      provisioning.deprovision(d); // idempotent: nothing left is fine

      assertThat(topics(admin, name)).isEmpty();
      assertThat(admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS))
          .noneSatisfy(g -> assertThat(g.groupId()).startsWith("iomt-" + name));
    }
  }

  @Test
  void aSourceTopicTheConnectorWasPointedAtIsTheCustomersAndStaysOnDeprovisioning()
      throws Exception {
    String name = name("own");
    IomtProperties.Connector c = ingestConnector(fhir.baseUrl(), 2);
    c.setSourceTopic(name + "-customer-feed");
    ConnectorDefinition d = definition(name, c);

    provisioning.provision(d);
    provisioning.deprovision(d);

    try (Admin admin = clients.admin()) {
      assertThat(topics(admin, name)).containsOnlyKeys(name + "-customer-feed");
    }
  }

  @Test
  void anUnreachableFhirServerFailsProvisioningWithFhirServerUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    ConnectorDefinition d =
        definition(name("nofhir"), ingestConnector("http://127.0.0.1:" + closedPort + "/fhir", 1));

    ProvisioningException e =
        catchThrowableOfType(ProvisioningException.class, () -> provisioning.provision(d));

    assertThat(e.code()).isEqualTo("FhirServerUnreachable");
    assertThat(e.getMessage()).contains("http://127.0.0.1:" + closedPort + "/fhir");
    provisioning.deprovision(d);
  }

  @Test
  void anEventHubsSourceGetsItsCheckpointContainerAndLosesOnlyItsOwnCheckpointsOnDeprovisioning()
      throws Exception {
    String name = name("hub");
    String containerName = "ckpt-" + name;
    ConnectorDefinition d =
        definition(name, eventHubsConnector(hubs.connectionString(HUB), containerName));

    provisioning.provision(d);

    BlobContainerClient container = container(containerName);
    assertThat(container.exists()).isTrue();
    try (Admin admin = clients.admin()) {
      assertThat(topics(admin, name))
          .as("no source topic: it reads the hub")
          .containsOnlyKeys(name + "-normalized", name + "-errors");
    }
    String prefix = hubs.fullyQualifiedNamespace() + "/" + HUB + "/" + CONSUMER_GROUP + "/";
    for (String blob :
        List.of(prefix + "checkpoint/0", prefix + "checkpoint/1", prefix + "ownership/0")) {
      container.getBlobClient(blob).upload(BinaryData.fromString(""), true);
    }
    String otherGroup = hubs.fullyQualifiedNamespace() + "/" + HUB + "/$default/checkpoint/0";
    container.getBlobClient(otherGroup).upload(BinaryData.fromString(""), true);

    provisioning.deprovision(d);

    assertThat(container.listBlobs().stream().map(BlobItem::getName))
        .as("only this consumer group's checkpoints and ownership go")
        .containsExactly(otherGroup);
    assertThatCode(() -> provisioning.provision(d))
        .as("the hub itself is untouched")
        .doesNotThrowAnyException();
    provisioning.deprovision(d);
  }

  @Test
  void aWrongKeyIsSourceUnauthorizedAndAMissingHubIsEventHubNotFound() throws Exception {
    String wrongKey =
        hubs.connectionString(HUB)
            .replaceAll("SharedAccessKey=[^;]*", "SharedAccessKey=d3Jvbmcta2V5LTAxMjM0NTY3ODk=");
    ConnectorDefinition refused =
        definition(name("wrongkey"), eventHubsConnector(wrongKey, "ckpt-refused"));
    ConnectorDefinition missing =
        definition(
            name("nohub"),
            eventHubsConnector(
                hubs.connectionString(HUB).replace("EntityPath=" + HUB, "EntityPath=missing"),
                "ckpt-missing"));

    ProvisioningException unauthorized =
        catchThrowableOfType(ProvisioningException.class, () -> provisioning.provision(refused));
    ProvisioningException notFound =
        catchThrowableOfType(ProvisioningException.class, () -> provisioning.provision(missing));

    assertThat(unauthorized.code()).isEqualTo("SourceUnauthorized");
    assertThat(unauthorized.getMessage()).doesNotContain("d3Jvbmcta2V5");
    assertThat(notFound.code()).isEqualTo("EventHubNotFound");
    assertThat(notFound.getMessage()).contains("missing");
    provisioning.deprovision(refused);
    provisioning.deprovision(missing);
  }
}
