package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.pipeline.StageStatus;
import io.iomt.service.ConnectorHealth.Check;
import io.iomt.service.ConnectorHealth.State;
import io.iomt.service.ServiceConfiguration.ConnectorDefinition;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;

class ConnectorHealthTest {
  private static final ConnectorDefinition TOPIC =
      ServiceConfiguration.from(ServiceConfigurationTest.valid(), Clock.systemUTC())
          .connectors()
          .get(0);

  @Test
  void aSourceTopicIsAsHealthyAsTheBrokerIndicatorSays() {
    ConnectorHealth up =
        new ConnectorHealth(
            () -> Health.up().withDetail("embedded", false).withDetail("nodes", 3).build());
    assertThat(up.source(TOPIC, new StageStatus.Running()))
        .isEqualTo(new Check(State.UP, "broker, 3 node(s)"));

    ConnectorHealth down =
        new ConnectorHealth(
            () ->
                Health.down()
                    .withDetail("embedded", true)
                    .withDetail("error", "TimeoutException: no node")
                    .build());
    assertThat(down.source(TOPIC, new StageStatus.Running()))
        .isEqualTo(new Check(State.DOWN, "embedded broker: TimeoutException: no node"));
  }

  @Test
  void anEventHubsSourceIsAsHealthyAsItsNormalizeStage() {
    IomtProperties p = ServiceConfigurationTest.valid();
    IomtProperties.Source s = p.getConnectors().get("ward-a").getSource();
    s.setType("event-hubs");
    s.setConnectionString(
        "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=l;SharedAccessKey=a2V5;"
            + "EntityPath=hub");
    s.setConsumerGroup("iomt");
    s.getCheckpoints()
        .setConnectionString("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=a2V5");
    s.getCheckpoints().setContainer("checkpoints");
    ConnectorDefinition hub = ServiceConfiguration.from(p, Clock.systemUTC()).connectors().get(0);
    ConnectorHealth health =
        new ConnectorHealth(
            () -> {
              throw new AssertionError("an Event Hubs source does not ask the broker");
            });
    Instant retry = Instant.parse("2026-11-30T10:00:00Z");

    assertThat(health.source(hub, new StageStatus.Running()))
        .isEqualTo(new Check(State.UP, "ns.servicebus.windows.net/hub (iomt): receiving"));
    assertThat(
            health.source(
                hub, new StageStatus.Blocked("EventHubUnavailableException", "gone", retry)))
        .isEqualTo(
            new Check(
                State.DOWN,
                "ns.servicebus.windows.net/hub (iomt): EventHubUnavailableException: gone"));
    assertThat(health.source(hub, new StageStatus.Failed("IllegalStateException", "x", retry)))
        .extracting(Check::state)
        .isEqualTo(State.DOWN);
    assertThat(health.source(hub, new StageStatus.Starting()))
        .isEqualTo(
            new Check(
                State.UNKNOWN, "ns.servicebus.windows.net/hub (iomt): normalize stage starting"));
  }
}
