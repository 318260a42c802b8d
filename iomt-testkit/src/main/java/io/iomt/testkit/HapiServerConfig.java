package io.iomt.testkit;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Root Spring configuration of the test FHIR server: HAPI's JPA R4 configuration, this module's
 * storage and servlet configuration, and the two Boot auto-configurations it needs (embedded Tomcat
 * and placeholders).
 *
 * <p>Auto-configuration is imported explicitly instead of enabled wholesale, so that whatever else
 * sits on a consuming module's test classpath (Kafka, a DataSource, Actuator, its own {@code
 * application.yml}) cannot leak into the FHIR server.
 */
@Configuration(proxyBeanMethods = false)
@Import({
  ServletWebServerFactoryAutoConfiguration.class,
  PropertyPlaceholderAutoConfiguration.class,
  JpaR4Config.class,
  HapiJpaConfig.class,
  ThreadPoolFactoryConfig.class,
  JpaBatch2Config.class,
  Batch2JobsConfig.class,
  SubscriptionChannelConfig.class,
  JpaStorageConfig.class,
  FhirServletConfig.class
})
class HapiServerConfig {}
