package io.iomt.testkit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.ApacheProxyAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** HTTP side of the test FHIR server: HAPI's {@link RestfulServer} mounted at {@code /fhir/*}. */
@Configuration(proxyBeanMethods = false)
class FhirServletConfig {

  /**
   * Binds the port when the connector starts and releases it when it stops (Tomcat's default keeps
   * it bound from init to destroy), so {@link HapiFhirServer#stop()} refuses connections.
   */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> unbindOnStop() {
    return factory ->
        factory.addConnectorCustomizers(connector -> connector.setProperty("bindOnInit", "false"));
  }

  @Bean
  ServletRegistrationBean<RestfulServer> fhirServlet(
      FhirContext fhirContext,
      ResourceProviderFactory resourceProviders,
      JpaSystemProvider<?, ?> systemProvider,
      IFhirSystemDao<?, ?> systemDao,
      DatabaseBackedPagingProvider pagingProvider,
      JpaStorageSettings storageSettings,
      ISearchParamRegistry searchParamRegistry,
      IValidationSupport validationSupport) {
    RestfulServer server = new RestfulServer(fhirContext);
    server.registerProviders(resourceProviders.createProviders());
    server.registerProvider(systemProvider);
    server.setPagingProvider(pagingProvider);
    server.setDefaultResponseEncoding(EncodingEnum.JSON);
    // Honour X-Forwarded-Host/-Proto, so links and Location headers name the FaultInjectingProxy
    // when a test talks through one, as they would behind a real gateway.
    server.setServerAddressStrategy(ApacheProxyAddressStrategy.forHttp());
    server.setServerConformanceProvider(
        new JpaCapabilityStatementProvider(
            server, systemDao, storageSettings, searchParamRegistry, validationSupport));
    ServletRegistrationBean<RestfulServer> registration =
        new ServletRegistrationBean<>(server, "/fhir/*");
    registration.setName("fhir");
    registration.setLoadOnStartup(1);
    return registration;
  }
}
