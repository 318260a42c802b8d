package io.iomt.service.web;

import io.iomt.service.IomtProperties;
import io.iomt.service.ServiceConfiguration;
import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Tomcat's HTML error report replaced by {@link JsonErrorReportValve}, {@link UnreadBodyValve} on
 * the host around it, and {@link ClientRequestLimitFilter} on {@code /ingest/*} ahead of the API
 * key check.
 */
@Configuration(proxyBeanMethods = false)
class WebErrorConfiguration {
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorsFromTomcat() {
    return new WebServerFactoryCustomizer<>() {
      @Override
      public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(
            context -> {
              Container parent = context.getParent();
              if (parent instanceof StandardHost host) {
                // Spring Boot adds its own ErrorReportValve (HTML) here; the host would add
                // another at start unless its error report valve class is ours.
                for (Valve v : host.getPipeline().getValves()) {
                  if (v instanceof ErrorReportValve && !(v instanceof JsonErrorReportValve)) {
                    host.getPipeline().removeValve(v);
                  }
                }
                // Outermost: it acts after the error page and report are rendered (marking the
                // exchange as an error earlier would make Tomcat render an error page over an
                // answer already written).
                host.getPipeline().addValve(new UnreadBodyValve());
                host.getPipeline().addValve(new JsonErrorReportValve());
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
              }
            });
      }
    };
  }

  @Bean
  FilterRegistrationBean<ClientRequestLimitFilter> clientRequestLimitFilter(
      IomtProperties properties, ServiceConfiguration checked) {
    // ServiceConfiguration is a parameter so that a bad limit is reported with every other problem
    // (filters are created when the web server starts, before most beans).
    FilterRegistrationBean<ClientRequestLimitFilter> r =
        new FilterRegistrationBean<>(
            new ClientRequestLimitFilter(properties.getIngest().getMaxRequestsPerClient()));
    r.addUrlPatterns("/ingest/*");
    r.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return r;
  }
}
