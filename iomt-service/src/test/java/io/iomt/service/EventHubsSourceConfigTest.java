package io.iomt.service;

import static io.iomt.service.ServiceConfigurationTest.problems;
import static io.iomt.service.ServiceConfigurationTest.valid;
import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.azure.eventhubs.EventHubsSourceSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventHubsSourceConfigTest {
  private static final String IOT_HUB_ENDPOINT =
      "Endpoint=sb://iothub-ns-contoso-123-abc.servicebus.windows.net/;SharedAccessKeyName=service;"
          + "SharedAccessKey=c2VjcmV0LWtleS12YWx1ZQ==;EntityPath=contoso-hub";
  private static final String STORAGE =
      "DefaultEndpointsProtocol=https;AccountName=contosostate;AccountKey=c3RvcmFnZS1rZXk=;"
          + "EndpointSuffix=core.windows.net";

  private static IomtProperties.Source source(IomtProperties p) {
    IomtProperties.Source s = p.getConnectors().get("ward-a").getSource();
    s.setType("event-hubs");
    return s;
  }

  @Test
  void anIotHubEventHubCompatibleEndpointWorksAsPastedFromThePortal() {
    IomtProperties p = valid();
    IomtProperties.Source s = source(p);
    s.setConnectionString(IOT_HUB_ENDPOINT);
    s.setConsumerGroup("iomt");
    s.setStartPosition("2026-11-30T00:00:00Z");
    s.getCheckpoints().setConnectionString(STORAGE);
    s.getCheckpoints().setContainer("iomt-checkpoints");

    ServiceConfiguration.ConnectorDefinition d =
        ServiceConfiguration.from(p, Clock.systemUTC()).connectors().get(0);

    assertThat(d.readsSourceTopic()).isFalse();
    assertThat(d.sourceDescription())
        .isEqualTo("iothub-ns-contoso-123-abc.servicebus.windows.net/contoso-hub (iomt)");
    assertThat(d.eventHubs().needsCredential()).isFalse();
    EventHubsSourceSettings settings =
        d.eventHubs()
            .settings(
                () -> {
                  throw new AssertionError("no credential needed with SAS");
                });
    assertThat(settings.eventHubName()).isEqualTo("contoso-hub");
    assertThat(settings.consumerGroup()).isEqualTo("iomt");
    assertThat(settings.startPosition())
        .isEqualTo(
            new EventHubsSourceSettings.StartPosition.EnqueuedTime(
                Instant.parse("2026-11-30T00:00:00Z")));
    assertThat(settings.ownershipExpiration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.toString()).doesNotContain("c2VjcmV0", "c3RvcmFnZS1rZXk");
  }

  @Test
  void everyProblemOfAnEventHubsSourceIsListedWithoutShowingTheKeys() {
    IomtProperties p = valid();
    IomtProperties.Source s = source(p);
    s.setConnectionString(IOT_HUB_ENDPOINT);
    s.setFullyQualifiedEventHubNamespace("other.servicebus.windows.net");
    s.setEventHubName("another-hub");
    s.setConsumerGroup(" ");
    s.setStartPosition("yesterday");
    s.setOwnershipExpiration(Duration.ofSeconds(5));
    s.setLoadBalancingInterval(Duration.ofSeconds(10));
    s.setMaxBatchSize(0);

    assertThat(problems(p).problems())
        .containsExactlyInAnyOrder(
            "iomt.connectors.ward-a.source.fully-qualified-event-hub-namespace:"
                + " 'other.servicebus.windows.net' differs from the connection string's Endpoint"
                + " (iothub-ns-contoso-123-abc.servicebus.windows.net)",
            "iomt.connectors.ward-a.source.event-hub-name: 'another-hub' differs from the"
                + " connection string's EntityPath (contoso-hub)",
            "iomt.connectors.ward-a.source.consumer-group: must not be empty ($Default is the"
                + " hub's own)",
            "iomt.connectors.ward-a.source.checkpoints: the Blob container for checkpoints and"
                + " partition ownership is required: container-url (with the shared Azure"
                + " credential) or connection-string and container",
            "iomt.connectors.ward-a.source.start-position: 'yesterday' is not earliest, latest or"
                + " an ISO-8601 instant like 2026-11-30T00:00:00Z",
            "iomt.connectors.ward-a.source.ownership-expiration: must be longer than"
                + " load-balancing-interval (claims are renewed every interval and would expire"
                + " in between)",
            "iomt.connectors.ward-a.source.max-batch-size: must be at least 1, got 0");
  }

  @Test
  void aConnectionStringWithoutKeyOrEndpointIsNamedButNotShown() {
    IomtProperties p = valid();
    IomtProperties.Source s = source(p);
    s.setConnectionString("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k");
    s.getCheckpoints().setContainerUrl("ftp://nope");

    assertThat(problems(p).problems())
        .containsExactlyInAnyOrder(
            "iomt.connectors.ward-a.source.connection-string: the connection string has no"
                + " SharedAccessKey (or SharedAccessSignature)",
            "iomt.connectors.ward-a.source.checkpoints.container-url: 'ftp://nope' is not an"
                + " http(s) URL like https://<account>.blob.core.windows.net/<container>");
  }

  @Test
  void withoutConnectionStringTheNamespaceAndHubAreRequired() {
    IomtProperties p = valid();
    IomtProperties.Source s = source(p);
    s.getCheckpoints().setContainerUrl("https://contosostate.blob.core.windows.net/iomt");

    assertThat(problems(p).problems())
        .containsExactly(
            "iomt.connectors.ward-a.source: an event-hubs source needs"
                + " fully-qualified-event-hub-namespace (with the shared Azure credential,"
                + " iomt.azure.credential) or connection-string (SAS)");
  }

  @Test
  void anUnknownSourceTypeIsAProblem() {
    IomtProperties p = valid();
    p.getConnectors().get("ward-a").getSource().setType("mqtt");

    assertThat(problems(p).problems())
        .containsExactly(
            "iomt.connectors.ward-a.source.type: 'mqtt' is not a source type: kafka (the source"
                + " topic, the default) or event-hubs");
  }
}
