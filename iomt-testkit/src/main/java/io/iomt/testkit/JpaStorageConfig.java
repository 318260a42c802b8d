package io.iomt.testkit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.persistence.EntityManagerFactory;
import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * Storage side of the test FHIR server: HAPI's storage settings (the features the connector relies
 * on), an H2 database (in memory, or a file for a persistent server) and the JPA entity manager
 * over it.
 */
@Configuration(proxyBeanMethods = false)
class JpaStorageConfig {

  /** Spring property holding the JDBC URL; set by {@link HapiFhirServer}. */
  static final String JDBC_URL_PROPERTY = "iomt.testkit.fhir.jdbc-url";

  /**
   * Spring property holding Hibernate's schema action ({@code create-only} for a new database,
   * {@code none} for one that holds the schema); set by {@link HapiFhirServer}.
   */
  static final String SCHEMA_ACTION_PROPERTY = "iomt.testkit.fhir.schema-action";

  @Bean
  JpaStorageSettings storageSettings() {
    JpaStorageSettings settings = new JpaStorageSettings();
    settings.setAllowExternalReferences(true);
    // PUT-create with any client id, numeric included; server-assigned ids are then UUIDs so the
    // two can never collide.
    settings.setResourceClientIdStrategy(JpaStorageSettings.ClientIdStrategyEnum.ANY);
    settings.setResourceServerIdStrategy(JpaStorageSettings.IdStrategyEnum.UUID);
    settings.setAllowInlineMatchUrlReferences(true);
    settings.setExpungeEnabled(true);
    settings.setDeleteExpungeEnabled(true);
    settings.setAllowMultipleDelete(true);
    // An optional lookup table whose background writes at start-up cost CPU and race a stop().
    settings.setWriteToSearchParamIdentityTable(false);
    // Tests search right after they write: never answer from a cached search.
    settings.setReuseCachedSearchResultsForMillis(null);
    return settings;
  }

  @Bean
  PartitionSettings partitionSettings() {
    return new PartitionSettings();
  }

  @Bean
  SubscriptionSettings subscriptionSettings() {
    return new SubscriptionSettings();
  }

  @Bean(destroyMethod = "close")
  HikariDataSource dataSource(@Value("${" + JDBC_URL_PROPERTY + "}") String jdbcUrl) {
    HikariDataSource dataSource = new HikariDataSource();
    // H2's own DataSource rather than a JDBC URL, which Hikari would resolve through
    // DriverManager (see H2Databases).
    dataSource.setDataSource(H2Databases.dataSource(jdbcUrl));
    dataSource.setMaximumPoolSize(10);
    dataSource.setConnectionTimeout(10_000);
    dataSource.setPoolName("iomt-testkit-fhir");
    return dataSource;
  }

  @Bean
  @Primary
  LocalContainerEntityManagerFactoryBean entityManagerFactory(
      ConfigurableListableBeanFactory beanFactory,
      FhirContext fhirContext,
      JpaStorageSettings storageSettings,
      DataSource dataSource,
      @Value("${" + SCHEMA_ACTION_PROPERTY + "}") String schemaAction) {
    LocalContainerEntityManagerFactoryBean factory =
        HapiEntityManagerFactoryUtil.newEntityManagerFactory(
            beanFactory, fhirContext, storageSettings);
    factory.setPersistenceUnitName("HAPI_PU");
    factory.setDataSource(dataSource);
    Properties jpa = new Properties();
    jpa.put("hibernate.dialect", HapiFhirH2Dialect.class.getName());
    jpa.put("hibernate.hbm2ddl.auto", schemaAction);
    jpa.put("hibernate.search.enabled", "false");
    jpa.put("hibernate.jdbc.batch_size", "20");
    jpa.put("hibernate.cache.use_query_cache", "false");
    jpa.put("hibernate.cache.use_second_level_cache", "false");
    jpa.put("hibernate.cache.use_structured_entries", "false");
    jpa.put("hibernate.cache.use_minimal_puts", "false");
    factory.setJpaProperties(jpa);
    return factory;
  }

  @Bean
  @Primary
  JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
    return new JpaTransactionManager(entityManagerFactory);
  }
}
