package io.iomt.service;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The connector service: {@code java -jar iomt-service.jar}. */
@SpringBootApplication(
    // The demo runs this next to a HAPI FHIR JPA server: its database is none of our business.
    excludeName = {
      "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
      "org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration",
      "org.springframework.boot.autoconfigure.data.jpa.JpaRepositoriesAutoConfiguration",
      "org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration"
    })
@ConfigurationPropertiesScan
public class IomtServiceApplication {
  public static void main(String[] args) {
    SpringApplication.run(IomtServiceApplication.class, args);
  }
}
