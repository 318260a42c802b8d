package io.iomt.service;

import io.iomt.azure.keyvault.KeyVaultSecretResolver;
import java.time.Clock;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Binds and checks the whole configuration before the application context is refreshed, so nothing
 * starts (no HTTP port, no broker, no bean) when a setting is wrong, and the problems are printed
 * once, by {@link ConfigurationFailureAnalyzer}. Key Vault references among the settings are
 * resolved first, so a secret that cannot be read is one more problem in that list. Failing inside
 * a bean factory method instead made Spring also log the whole list in its "Exception encountered
 * during context initialization" warning. Registers {@link IomtProperties} and {@link
 * ServiceConfiguration} as beans. Acts only for {@link IomtServiceApplication} (it is registered in
 * spring.factories, which every Spring Boot application on the class path reads, e.g. a test's FHIR
 * server).
 */
public final class ConfigurationCheck implements ApplicationListener<ApplicationPreparedEvent> {
  /**
   * A {@link KeyVaultSecretResolver} registered as a singleton of this name before the context is
   * prepared (a test's initializer) reads the Key Vault references instead of the one made from the
   * shared credential: tests point it at the HTTPS fake vault, which the SDK's defaults cannot
   * trust.
   */
  public static final String KEY_VAULT_RESOLVER = "iomtKeyVaultSecretResolver";

  @Override
  public void onApplicationEvent(ApplicationPreparedEvent event) {
    if (!event.getSpringApplication().getAllSources().contains(IomtServiceApplication.class)) {
      return;
    }
    ConfigurableApplicationContext context = event.getApplicationContext();
    KeyVaultSecretResolver resolver =
        context.getBeanFactory().containsSingleton(KEY_VAULT_RESOLVER)
            ? (KeyVaultSecretResolver) context.getBeanFactory().getSingleton(KEY_VAULT_RESOLVER)
            : null;
    ServiceConfiguration config =
        ServiceConfiguration.from(context.getEnvironment(), Clock.systemUTC(), resolver);
    context.getBeanFactory().registerSingleton("iomtProperties", config.properties());
    context.getBeanFactory().registerSingleton("serviceConfiguration", config);
  }
}
