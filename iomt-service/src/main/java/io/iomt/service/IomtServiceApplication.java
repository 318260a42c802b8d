package io.iomt.service;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The connector service: {@code java -jar iomt-service.jar}. */
@SpringBootApplication(
    // The demo and the tests run this next to a HAPI FHIR JPA server, whose libraries (H2,
    // Hibernate, Elasticsearch and Quartz clients, template engines) would otherwise make Spring
    // Boot configure a database, a search client and its health check, a scheduler: none of them
    // are the service's. The service's own jar carries none of these libraries.
    excludeName = {
      "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
      "org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration",
      "org.springframework.boot.autoconfigure.data.jpa.JpaRepositoriesAutoConfiguration",
      "org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration",
      "org.springframework.boot.autoconfigure.batch.BatchAutoConfiguration",
      "org.springframework.boot.autoconfigure.data.elasticsearch.ElasticsearchDataAutoConfiguration",
      "org.springframework.boot.autoconfigure.data.elasticsearch"
          + ".ElasticsearchRepositoriesAutoConfiguration",
      "org.springframework.boot.autoconfigure.data.elasticsearch"
          + ".ReactiveElasticsearchRepositoriesAutoConfiguration",
      "org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchClientAutoConfiguration",
      "org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration",
      "org.springframework.boot.autoconfigure.elasticsearch"
          + ".ReactiveElasticsearchClientAutoConfiguration",
      "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration",
      "org.springframework.boot.autoconfigure.freemarker.FreeMarkerAutoConfiguration",
      "org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration",
      "org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.elasticsearch"
          + ".ElasticsearchRestHealthContributorAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.data.elasticsearch"
          + ".ElasticsearchReactiveHealthContributorAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.quartz.QuartzEndpointAutoConfiguration",
      // No generated user and password: the management API authenticates with its own API keys
      // and OAuth2 tokens (ManagementSecurityConfiguration), every other path as before.
      "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration"
    })
public class IomtServiceApplication {
  public static void main(String[] args) {
    SpringApplication.run(IomtServiceApplication.class, args);
  }
}
