package io.iomt.service;

import java.time.Clock;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Binds and checks the whole configuration before the application context is refreshed, so nothing
 * starts (no HTTP port, no broker, no bean) when a setting is wrong, and the problems are printed
 * once, by {@link ConfigurationFailureAnalyzer}. Failing inside a bean factory method instead made
 * Spring also log the whole list in its "Exception encountered during context initialization"
 * warning. Registers {@link IomtProperties} and {@link ServiceConfiguration} as beans. Acts only
 * for {@link IomtServiceApplication} (it is registered in spring.factories, which every Spring Boot
 * application on the class path reads, e.g. a test's FHIR server).
 */
public final class ConfigurationCheck implements ApplicationListener<ApplicationPreparedEvent> {
  @Override
  public void onApplicationEvent(ApplicationPreparedEvent event) {
    if (!event.getSpringApplication().getAllSources().contains(IomtServiceApplication.class)) {
      return;
    }
    ConfigurableApplicationContext context = event.getApplicationContext();
    ServiceConfiguration config =
        ServiceConfiguration.from(context.getEnvironment(), Clock.systemUTC());
    context.getBeanFactory().registerSingleton("iomtProperties", config.properties());
    context.getBeanFactory().registerSingleton("serviceConfiguration", config);
  }
}
