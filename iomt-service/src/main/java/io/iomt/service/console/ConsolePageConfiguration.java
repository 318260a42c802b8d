package io.iomt.service.console;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The console's address: {@code /console} redirects to {@code /console/} (so the page's relative
 * links resolve under it), and {@code /console/} serves the static {@code
 * static/console/index.html}. The files themselves are served by Spring's static resource handler;
 * their security headers (a strict CSP) come from the management security configuration.
 */
@Configuration(proxyBeanMethods = false)
class ConsolePageConfiguration implements WebMvcConfigurer {
  @Override
  public void addViewControllers(ViewControllerRegistry registry) {
    registry.addRedirectViewController("/console", "/console/");
    registry.addViewController("/console/").setViewName("forward:/console/index.html");
  }
}
