package io.iomt.testkit;

import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Opens the test FHIR server's H2 databases through H2's own {@link DataSource}, never through
 * {@link java.sql.DriverManager}: inside an executable jar (the demo's), newer JDKs' {@code
 * DriverManager} does not see the H2 driver nested in the jar, and every lookup fails with "No
 * suitable driver" (Java 25 does, Java 17 did not).
 */
final class H2Databases {

  private H2Databases() {}

  /** A new data source for {@code jdbcUrl}, user {@code sa}, empty password; not pooled. */
  static DataSource dataSource(String jdbcUrl) {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL(jdbcUrl);
    dataSource.setUser("sa");
    dataSource.setPassword("");
    return dataSource;
  }
}
