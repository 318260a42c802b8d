package io.iomt.service.console;

import io.iomt.service.ConnectorHealth;
import io.iomt.service.ConnectorRuntime;
import io.iomt.service.ConsumerLagMonitor;
import io.iomt.service.IomtProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the console's connectors view and its history sampler. */
@Configuration(proxyBeanMethods = false)
class ConnectorsConsoleConfiguration {
  @Bean
  ConnectorReports connectorReports(
      ConnectorRuntime runtime,
      @Qualifier("brokerHealthIndicator") HealthIndicator broker,
      MeterRegistry registry,
      ConsumerLagMonitor lagMonitor) {
    return new ConnectorReports(runtime, new ConnectorHealth(broker), registry, lagMonitor);
  }

  /** Samples every {@code iomt.console.history-interval}; stops with the context. */
  @Bean(initMethod = "start", destroyMethod = "close")
  ConnectorHistory connectorHistory(
      ConnectorReports reports, IomtProperties properties, Clock clock) {
    return new ConnectorHistory(
        clock, properties.getConsole().getHistoryInterval(), reports::names, reports::reading);
  }
}
