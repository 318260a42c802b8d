package io.iomt.testkit;

import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.ApacheProxyAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * A fast FHIR R4 server for load tests and integration tests: HAPI's plain {@link RestfulServer} in
 * an embedded Tomcat on a free loopback port, with Patient, Device, Encounter and Observation held
 * in memory. It boots in about a second and costs a small fraction of the JPA server's CPU per
 * request, so a benchmark against it measures the client, not the server.
 *
 * <p><b>What it serves</b> at {@link #baseUrl()} ({@code http://127.0.0.1:<port>/fhir}):
 *
 * <ul>
 *   <li>{@code GET /metadata}: HAPI's generated CapabilityStatement;
 *   <li>{@code GET Type/id} (404 when absent) with an {@code ETag};
 *   <li>{@code PUT Type/id}: create (201) or update (200), {@code meta.versionId} counting up,
 *       {@code ETag} and {@code Location} with the version; conditional on {@code If-Match} and
 *       {@code If-None-Match: *}; {@code POST Type} with optional {@code If-None-Exist};
 *   <li>{@code GET Type?identifier=system|value} (or {@code value}, {@code |value}, comma
 *       alternatives), {@code _id}, {@code device}, {@code subject}, {@code patient}, {@code
 *       _summary=count};
 *   <li>{@code POST /} with a batch or transaction Bundle of GET, PUT and POST entries.
 * </ul>
 *
 * The write rules are HAPI FHIR JPA 8.8's wherever the connector can tell (see {@link
 * MemoryStore}); {@code InMemoryFhirServerIT} runs the same requests against both servers, and the
 * connector's writer passes its contract against this one. There is no history, no paging (a search
 * answers everything in one page) and no other search parameter. Like {@link HapiFhirServer}, links
 * and {@code Location} headers follow {@code X-Forwarded-Host}, so a {@link FaultInjectingProxy} in
 * front works.
 *
 * <p><b>Thread-safety and lifecycle.</b> Requests are served concurrently by Tomcat's pool (threads
 * named {@code http-nio-*}, like the JPA server's); every method is thread-safe. The server runs
 * from {@link #start()} until {@link #close()}.
 */
public final class InMemoryFhirServer implements AutoCloseable {
  private final MemoryStore store = new MemoryStore();
  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final AtomicLong total = new AtomicLong();
  private final Tomcat tomcat;
  private final Path baseDir;
  private final int port;

  private InMemoryFhirServer() throws IOException, LifecycleException {
    baseDir = Files.createTempDirectory("iomt-memory-fhir");
    tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("maxKeepAliveRequests", "-1");
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", baseDir.toString());
    // Initialized now, not on the first request (HAPI scans its providers for seconds).
    Tomcat.addServlet(context, "fhir", new Servlet()).setLoadOnStartup(1);
    context.addServletMappingDecoded("/fhir/*", "fhir");
    tomcat.start();
    port = connector.getLocalPort();
  }

  /** Starts a new, empty server on a free loopback port; returns when it answers requests. */
  public static InMemoryFhirServer start() {
    try {
      return new InMemoryFhirServer();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the in-memory FHIR server", e);
    } catch (LifecycleException e) {
      throw new IllegalStateException("cannot start the in-memory FHIR server", e);
    }
  }

  /** {@code http://127.0.0.1:<port>/fhir}, without a trailing slash. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port + "/fhir";
  }

  /** How many resources of a type ({@code Patient}, {@code Device}, ...) the server holds. */
  public int count(String resourceType) {
    return store.count(resourceType);
  }

  /** HTTP requests served since the start or the last {@link #resetCounts()}. */
  public long requestCount() {
    return total.get();
  }

  /** HTTP requests served with this method (case-insensitive) since the last reset. */
  public long requestCount(String method) {
    LongAdder n = requests.get(method.toUpperCase(Locale.ROOT));
    return n == null ? 0 : n.sum();
  }

  /** Forgets the request counts. */
  public void resetCounts() {
    total.set(0);
    requests.clear();
  }

  /** Deletes every resource (the counts stay). */
  public void reset() {
    store.clear();
  }

  /** Stops the server and deletes its Tomcat work directory. */
  @Override
  public void close() {
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (LifecycleException e) {
      throw new IllegalStateException("cannot stop the in-memory FHIR server", e);
    } finally {
      try (Stream<Path> files = Files.walk(baseDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // A temp directory left behind.
      }
    }
  }

  /** HAPI's servlet with this server's providers, counting requests. */
  private final class Servlet extends RestfulServer {
    private static final long serialVersionUID = 1L;

    Servlet() {
      super(MemoryStore.R4);
    }

    @Override
    protected void initialize() throws ServletException {
      for (String type : MemoryStore.TYPES.keySet()) {
        registerProvider(new MemoryResourceProvider(type, store));
      }
      registerProvider(new MemorySystemProvider(store));
      setDefaultResponseEncoding(EncodingEnum.JSON);
      setServerAddressStrategy(ApacheProxyAddressStrategy.forHttp());
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws ServletException, IOException {
      total.incrementAndGet();
      requests
          .computeIfAbsent(request.getMethod().toUpperCase(Locale.ROOT), m -> new LongAdder())
          .increment();
      super.service(request, response);
    }
  }
}
