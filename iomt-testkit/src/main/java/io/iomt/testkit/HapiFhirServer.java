package io.iomt.testkit;

import ca.uhn.fhir.jpa.dao.expunge.IExpungeEverythingService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.h2.api.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * A real HAPI FHIR JPA R4 server, in process, on a free loopback port: base URL {@code
 * http://127.0.0.1:<port>/fhir}. It allows client-assigned ids (PUT create, numeric ones too),
 * conditional create and update, transaction and batch Bundles, {@code If-Match} versioned updates,
 * external references and {@code $expunge}; searches are never answered from HAPI's search cache.
 * Data lives in a private in-memory H2 database, or, for a {@link #persistent(Path, int)} server,
 * in an H2 database file that outlives the JVM.
 *
 * <p><b>Lifecycle.</b> {@link #start()} boots HAPI the first time: about 40 s of CPU, so 20–60 s on
 * two cores depending on what else runs. Run the test JVM with {@code -Xmx1g
 * -XX:TieredStopAtLevel=1} (C1 only halves the boot's CPU; tests do not need C2). {@link #stop()}
 * takes the server off the network: the port is released and open connections are closed, so
 * clients see "connection refused" as in an outage, while HAPI and its data stay in memory. A later
 * {@link #start()} listens again on the same port within milliseconds and serves the same data.
 * {@link #close()} shuts HAPI down and frees its database.
 *
 * <p><b>Isolation between tests.</b> Prefer unique identifiers and ids per test (for example a
 * random device id): it costs nothing and lets tests share one server, even in parallel. A test
 * that needs an empty server (resource counts, "exactly one Observation") calls {@link #reset()},
 * which expunges everything in well under a second and must not run while other tests use the
 * server.
 *
 * <p><b>Thread-safety.</b> All methods are thread-safe; lifecycle methods are serialized. The
 * server serves concurrent requests. Stopping the {@link #shared()} server affects every test that
 * uses it: tests that stop it must not run in parallel with others.
 */
public final class HapiFhirServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HapiFhirServer.class);

  /** Name of the H2 database in a persistent server's directory: {@code hapi-fhir.mv.db}. */
  private static final String DATABASE_NAME = "hapi-fhir";

  /** Directories of the persistent servers booted in this JVM and not closed yet. */
  private static final Set<Path> OPEN_DIRECTORIES = ConcurrentHashMap.newKeySet();

  private static HapiFhirServer shared;

  private final String jdbcUrl;

  /** The database directory of a persistent server; null for an in-memory one. */
  private final Path directory;

  private int port;
  private ConfigurableApplicationContext context;
  private boolean listening;
  private boolean closed;

  /** A new server, not started, with an empty database of its own. */
  public HapiFhirServer() {
    this("jdbc:h2:mem:iomt-testkit-fhir-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", null, 0);
  }

  private HapiFhirServer(String jdbcUrl, Path directory, int port) {
    this.jdbcUrl = jdbcUrl;
    this.directory = directory;
    this.port = port;
  }

  /**
   * A new server, not started, whose data lives in an H2 database file in {@code directory}
   * (created if missing): what one persistent server wrote, the next one on the same directory
   * serves, in this JVM or a later one. The first {@link #start()} on an empty directory creates
   * HAPI's schema; later ones use the schema found (written by the same HAPI version: there is no
   * schema migration).
   *
   * <p>One server at a time may use a directory: {@link #start()} fails with a clear message while
   * another JVM, or another server of this JVM, has it open. {@link #close()} closes the database
   * file, which is then complete; a JVM killed without it may lose the last half second of writes
   * (H2's write delay).
   *
   * @param port the loopback port to listen on, or 0 for a free one, chosen now, so that {@link
   *     #baseUrl()} is known before {@link #start()}
   */
  public static HapiFhirServer persistent(Path directory, int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("not a port: " + port);
    }
    Path dir = directory.toAbsolutePath().normalize();
    // Closed by close() (or the last pooled connection); not by H2's own shutdown hook, which could
    // run while HAPI still writes during a JVM shutdown.
    String url = "jdbc:h2:file:" + dir.resolve(DATABASE_NAME) + ";DB_CLOSE_ON_EXIT=FALSE";
    return new HapiFhirServer(url, dir, port == 0 ? freeLoopbackPort() : port);
  }

  /**
   * The JVM's shared server: booted on first use, started again if a test left it stopped, closed
   * by a shutdown hook when the JVM exits.
   */
  public static synchronized HapiFhirServer shared() {
    if (shared == null) {
      HapiFhirServer server = new HapiFhirServer();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "iomt-testkit-fhir-close"));
      shared = server;
    }
    shared.start();
    return shared;
  }

  /**
   * Starts serving (booting HAPI on the first call); does nothing if it serves already. Returns
   * when the server answers requests.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("the FHIR server is closed");
    }
    if (context == null) {
      long started = System.nanoTime();
      if (port == 0) {
        port = freeLoopbackPort();
      }
      boolean schemaExists = directory != null && openDatabase();
      // Boot with this module's class loader, whatever the calling thread's context loader: in an
      // executable jar, a pool thread's (Java 25's common pool) is the JDK's application loader,
      // which does not see the jar's nested libraries, and Spring then misses its own classes.
      Thread thread = Thread.currentThread();
      ClassLoader callers = thread.getContextClassLoader();
      thread.setContextClassLoader(HapiFhirServer.class.getClassLoader());
      try {
        context = newApplication(schemaExists).run();
      } catch (RuntimeException e) {
        if (directory != null) {
          OPEN_DIRECTORIES.remove(directory);
        }
        throw e;
      } finally {
        thread.setContextClassLoader(callers);
      }
      LOG.info(
          "HAPI FHIR server serving {} after {} ms",
          baseUrl(),
          (System.nanoTime() - started) / 1_000_000);
    } else if (!listening) {
      changeConnector(true);
    }
    listening = true;
  }

  /**
   * Stops serving: releases the port and closes open connections, keeping HAPI and its data for a
   * later {@link #start()}. Does nothing if the server does not serve.
   */
  public synchronized void stop() {
    if (listening) {
      changeConnector(false);
      listening = false;
    }
  }

  /** Whether the server accepts connections. */
  public synchronized boolean isRunning() {
    return listening;
  }

  /**
   * Deletes every resource and its history ({@code $expunge} with {@code expungeEverything}). Works
   * while the server is stopped, too.
   *
   * @throws IllegalStateException before the first {@link #start()} or after {@link #close()}
   */
  public synchronized void reset() {
    requireBooted();
    context.getBean(IExpungeEverythingService.class).expungeEverything(null);
  }

  /**
   * The base URL, {@code http://127.0.0.1:<port>/fhir}, stable across {@link #stop()} and {@link
   * #start()}.
   *
   * @throws IllegalStateException before the first {@link #start()} (a {@link #persistent(Path,
   *     int)} server knows its URL from the start)
   */
  public synchronized String baseUrl() {
    if (port == 0) {
      throw new IllegalStateException("the FHIR server has never been started");
    }
    return "http://127.0.0.1:" + port + "/fhir";
  }

  /**
   * Shuts HAPI down and frees its database (a persistent server's file is closed and kept); the
   * server cannot be started again.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    listening = false;
    if (context != null) {
      context.close();
      context = null;
      if (directory != null) {
        // Closing the pool closed the last connection, and with it the database file.
        OPEN_DIRECTORIES.remove(directory);
        return;
      }
      try (Connection connection = H2Databases.dataSource(jdbcUrl).getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("SHUTDOWN");
      } catch (SQLException e) {
        // The database is gone already.
      }
    }
  }

  /**
   * Claims a persistent server's directory and opens its database once before HAPI boots, so that a
   * database held by another process fails with a message that says so rather than deep inside
   * HAPI's start-up.
   *
   * @return whether the database holds HAPI's schema already
   */
  private boolean openDatabase() {
    if (!OPEN_DIRECTORIES.add(directory)) {
      throw new IllegalStateException(
          "another FHIR server of this JVM uses the database in " + directory);
    }
    try {
      Files.createDirectories(directory);
      try (Connection connection = H2Databases.dataSource(jdbcUrl).getConnection();
          Statement statement = connection.createStatement();
          ResultSet tables =
              statement.executeQuery(
                  "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                      + " WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = 'HFJ_RESOURCE'")) {
        tables.next();
        return tables.getInt(1) > 0;
      }
    } catch (IOException e) {
      OPEN_DIRECTORIES.remove(directory);
      throw new UncheckedIOException("cannot create the FHIR database directory " + directory, e);
    } catch (SQLException e) {
      OPEN_DIRECTORIES.remove(directory);
      throw new IllegalStateException(
          "cannot open the FHIR database in "
              + directory
              + (e.getErrorCode() == ErrorCode.DATABASE_ALREADY_OPEN_1
                  ? ": another process uses it (is another server running on this directory?)"
                  : ": " + e.getMessage()),
          e);
    }
  }

  private void requireBooted() {
    if (context == null) {
      throw new IllegalStateException(
          closed ? "the FHIR server is closed" : "the FHIR server has never been started");
    }
  }

  private void changeConnector(boolean start) {
    TomcatWebServer webServer =
        (TomcatWebServer) ((ServletWebServerApplicationContext) context).getWebServer();
    Connector connector = webServer.getTomcat().getConnector();
    try {
      if (start) {
        connector.start();
      } else {
        connector.stop();
      }
    } catch (LifecycleException e) {
      throw new IllegalStateException("cannot " + (start ? "start" : "stop") + " listening", e);
    }
  }

  private SpringApplicationBuilder newApplication(boolean schemaExists) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("server.address", "127.0.0.1");
    properties.put("server.port", port);
    properties.put("server.shutdown", "immediate");
    // Never read a consuming module's application.properties/yml.
    properties.put("spring.config.name", "iomt-testkit-fhir");
    properties.put("spring.main.allow-circular-references", "true");
    properties.put("spring.jmx.enabled", "false");
    properties.put(JpaStorageConfig.JDBC_URL_PROPERTY, jdbcUrl);
    // A new database gets the schema without introspection (slow on H2); an existing one is used
    // as it is.
    properties.put(JpaStorageConfig.SCHEMA_ACTION_PROPERTY, schemaExists ? "none" : "create-only");
    QuietLogging.LEVELS.forEach(
        (logger, level) -> properties.put("logging.level." + logger, level));
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("iomt-testkit", properties));
    return new SpringApplicationBuilder(HapiServerConfig.class)
        .environment(environment)
        .web(WebApplicationType.SERVLET)
        .bannerMode(Banner.Mode.OFF)
        .logStartupInfo(false)
        .registerShutdownHook(false);
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
