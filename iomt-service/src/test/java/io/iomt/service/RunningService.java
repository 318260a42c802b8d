package io.iomt.service;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service started in-process as {@code java -jar} would start it (application.yaml included),
 * with the sample mappings and one connector {@code test} writing to {@code fhirUrl}; properties
 * can be added or overridden. Tests talk to it over HTTP like a device would.
 */
final class RunningService implements AutoCloseable {
  static final Path SAMPLES = Path.of("").toAbsolutePath().getParent().resolve("samples");
  static final String API_KEY = "test-key-0123456789abcdef";

  final ConfigurableApplicationContext context;
  final String baseUrl;
  private final HttpClient http = HttpClient.newHttpClient();

  private RunningService(ConfigurableApplicationContext context) {
    this.context = context;
    this.baseUrl = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
  }

  /** The default properties of a test service on {@code dataDir} writing to {@code fhirUrl}. */
  static Map<String, Object> defaults(Path dataDir, String fhirUrl) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("server.port", "0");
    p.put("iomt.data-dir", dataDir.toString());
    p.put("iomt.ingest.api-keys[0]", API_KEY);
    p.put("iomt.connectors.test.device-mapping", SAMPLES.resolve("device-mapping.json").toString());
    p.put("iomt.connectors.test.fhir-mapping", SAMPLES.resolve("fhir-mapping.json").toString());
    p.put("iomt.connectors.test.fhir.url", fhirUrl);
    p.put("iomt.connectors.test.partitions", "2");
    p.put("iomt.connectors.test.flush.max-events", "500");
    p.put("iomt.connectors.test.flush.max-age", "500ms");
    return p;
  }

  static RunningService start(Map<String, Object> properties) {
    return start(properties, application -> {});
  }

  /**
   * Starts the service with {@code beans} registered before its own configuration is read, so that
   * they take the place of the service's {@code @ConditionalOnMissingBean} defaults.
   */
  static RunningService start(Map<String, Object> properties, Map<String, Object> beans) {
    return start(
        properties,
        application ->
            application.initializers(
                context -> beans.forEach(context.getBeanFactory()::registerSingleton)));
  }

  /**
   * Starts the service after {@code before} adjusted the application (e.g. added an initializer
   * that registers a test's Key Vault resolver).
   */
  static RunningService start(
      Map<String, Object> properties, Consumer<SpringApplicationBuilder> before) {
    String[] args =
        properties.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new);
    SpringApplicationBuilder application =
        new SpringApplicationBuilder(IomtServiceApplication.class);
    before.accept(application);
    return new RunningService(application.run(args));
  }

  HttpResponse<String> post(String path, String body, String apiKey) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (apiKey != null) {
      r.header("X-API-Key", apiKey);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> ingest(String connector, String body) throws Exception {
    return post("/ingest/" + connector, body, API_KEY);
  }

  HttpResponse<String> get(String path, String apiKey) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60)).GET();
    if (apiKey != null) {
      r.header("Authorization", "Bearer " + apiKey);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * {@link #get} for a value read in an {@code Await}: a request that cannot be sent or answered
   * ends the wait at once, as an {@link IllegalStateException}.
   */
  HttpResponse<String> read(String path, String apiKey) {
    try {
      return get(path, apiKey);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + path, e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }

  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  @Override
  public void close() {
    context.close();
  }
}
