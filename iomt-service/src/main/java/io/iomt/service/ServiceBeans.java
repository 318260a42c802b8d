package io.iomt.service;

import io.iomt.azure.SharedAzureCredential;
import io.iomt.azure.kafka.EventHubsOAuthBearer;
import io.iomt.azure.keyvault.KeyVaultSecrets;
import io.iomt.pipeline.KafkaClients;
import io.iomt.service.management.ConnectorProvisioning;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
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
   * Azure AD for Event Hubs' Kafka endpoint with the shared {@code iomt.azure.credential} (the one
   * FHIR, Blob and Key Vault use), or azure-identity's default credential chain when none is
   * configured; tests register their own {@link KafkaRuntime.EventHubsLogin}.
   */
  @Bean
  @ConditionalOnMissingBean(KafkaRuntime.EventHubsLogin.class)
  KafkaRuntime.EventHubsLogin eventHubsLogin(SharedAzureCredential shared) {
    return namespace ->
        shared.isConfigured()
            ? EventHubsOAuthBearer.register(namespace, shared.credential())
            : EventHubsOAuthBearer.withDefaultCredential(namespace);
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
      ServiceConfiguration config,
      SharedAzureCredential shared,
      KafkaRuntime kafka,
      ServiceMetrics metrics,
      Clock clock) {
    return new ConnectorRuntime(config, shared::azureCredential, kafka, metrics, clock);
  }

  /**
   * Provisioning of the connectors the management API makes: checks within 30 s each, and up to 60
   * s for a deleted connector's stages to stop on every replica.
   */
  @Bean
  @ConditionalOnMissingBean(ConnectorProvisioning.class)
  ConnectorProvisioning connectorProvisioning(
      KafkaRuntime kafka, SharedAzureCredential shared, Clock clock) {
    return new KafkaConnectorProvisioning(
        kafka.clients(),
        shared::azureCredential,
        Duration.ofSeconds(30),
        Duration.ofSeconds(60),
        clock);
  }

  @Bean(destroyMethod = "close")
  ConsumerLagMonitor consumerLagMonitor(
      ConnectorRuntime runtime, KafkaRuntime kafka, ServiceMetrics metrics) {
    return new ConsumerLagMonitor(runtime::definitions, kafka, metrics);
  }

  /** The ingest API keys follow Key Vault rotations at once (read through the holder). */
  @Bean
  FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(
      IomtProperties properties, KeyVaultSecrets secrets) {
    FilterRegistrationBean<ApiKeyFilter> r =
        new FilterRegistrationBean<>(
            new ApiKeyFilter(
                secrets.currentList("iomt.ingest.api-keys", properties.getIngest().getApiKeys())));
    r.addUrlPatterns("/ingest/*", "/actuator/*");
    return r;
  }

  @Bean
  HealthIndicator brokerHealthIndicator(KafkaRuntime kafka) {
    return HealthChecks.broker(kafka);
  }

  @Bean
  HealthIndicator fhirHealthIndicator(ConnectorRuntime runtime) {
    return HealthChecks.fhir(runtime::definitions);
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
