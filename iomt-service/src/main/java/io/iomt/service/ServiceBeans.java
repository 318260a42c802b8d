package io.iomt.service;

import io.iomt.azure.kafka.EventHubsOAuthBearer;
import io.iomt.pipeline.KafkaClients;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Wires broker, connectors, ingest security, metrics and health. {@link IomtProperties} and {@link
 * ServiceConfiguration} are checked and registered before this runs ({@link ConfigurationCheck}).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ServiceBeans {
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * Azure AD for Event Hubs' Kafka endpoint with azure-identity's default credential chain. The
   * shared {@code iomt.azure.credential} setting replaces this source with the credential that
   * FHIR, Blob and Key Vault use too; tests register their own {@link KafkaRuntime.EventHubsLogin}.
   */
  @Bean
  @ConditionalOnMissingBean(KafkaRuntime.EventHubsLogin.class)
  KafkaRuntime.EventHubsLogin eventHubsLogin() {
    return EventHubsOAuthBearer::withDefaultCredential;
  }

  @Bean(destroyMethod = "close")
  KafkaRuntime kafkaRuntime(
      ServiceConfiguration config,
      IomtProperties properties,
      KafkaRuntime.EventHubsLogin eventHubsLogin) {
    return KafkaRuntime.start(
        config, properties.getDataDir(), properties.getKafka().getEmbeddedPort(), eventHubsLogin);
  }

  @Bean
  KafkaClients kafkaClients(KafkaRuntime kafka) {
    return kafka.clients();
  }

  @Bean
  ServiceMetrics serviceMetrics(MeterRegistry registry, Clock clock) {
    return new ServiceMetrics(registry, clock);
  }

  @Bean
  ConnectorRuntime connectorRuntime(
      ServiceConfiguration config, KafkaRuntime kafka, ServiceMetrics metrics, Clock clock) {
    return new ConnectorRuntime(
        config,
        () -> {
          throw new IllegalStateException(
              "no shared Azure credential is configured (iomt.azure.credential)");
        },
        kafka,
        metrics,
        clock);
  }

  @Bean(destroyMethod = "close")
  ConsumerLagMonitor consumerLagMonitor(
      ServiceConfiguration config, KafkaRuntime kafka, ServiceMetrics metrics) {
    return new ConsumerLagMonitor(config, kafka, metrics);
  }

  @Bean
  FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(IomtProperties properties) {
    FilterRegistrationBean<ApiKeyFilter> r =
        new FilterRegistrationBean<>(new ApiKeyFilter(properties.getIngest().getApiKeys()));
    r.addUrlPatterns("/ingest/*", "/actuator/*");
    return r;
  }

  @Bean
  HealthIndicator brokerHealthIndicator(KafkaRuntime kafka) {
    return HealthChecks.broker(kafka);
  }

  @Bean
  HealthIndicator fhirHealthIndicator(ServiceConfiguration config) {
    return HealthChecks.fhir(config);
  }

  @Bean
  HealthIndicator connectorsHealthIndicator(ConnectorRuntime runtime) {
    return HealthChecks.connectors(runtime::statuses);
  }

  @Bean
  HealthIndicator stagesHealthIndicator(ConnectorRuntime runtime) {
    return HealthChecks.stages(runtime::statuses);
  }
}
