package io.iomt.testkit;

import java.util.Map;

/**
 * Log levels applied (through Spring Boot's {@code logging.level.*}) while the FHIR server runs, so
 * that test output shows the tests, not HAPI, Hibernate, Spring and Tomcat at work. A consuming
 * module's own {@code logback-test.xml} still decides everything else.
 */
final class QuietLogging {

  static final Map<String, String> LEVELS =
      Map.ofEntries(
          Map.entry("ca.uhn.fhir", "WARN"),
          Map.entry("org.hl7.fhir", "WARN"),
          Map.entry("org.springframework", "WARN"),
          Map.entry("org.hibernate", "WARN"),
          Map.entry("org.apache.catalina", "WARN"),
          Map.entry("org.apache.coyote", "WARN"),
          Map.entry("org.apache.tomcat", "WARN"),
          Map.entry("com.zaxxer.hikari", "WARN"),
          Map.entry("org.quartz", "WARN"),
          Map.entry("org.h2", "WARN"),
          // Every 4xx answer, which tests provoke on purpose (5xx still show as errors).
          Map.entry("ca.uhn.fhir.rest.server.interceptor.ExceptionHandlingInterceptor", "ERROR"),
          // Warnings about HAPI's own configuration and compiled classes, not about the tests.
          Map.entry(
              "org.springframework.context.support.PostProcessorRegistrationDelegate", "ERROR"),
          Map.entry("org.springframework.data.repository.query.ReturnedType", "ERROR"));

  private QuietLogging() {}
}
