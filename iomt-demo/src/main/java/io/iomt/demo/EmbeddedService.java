package io.iomt.demo;

import io.iomt.service.IomtServiceApplication;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The connector service ({@link IomtServiceApplication}) started in this JVM on its embedded
 * defaults: its own Kafka broker with data in {@code <data-dir>/kafka}, HTTP ingest on a free
 * loopback port, one connector writing to the given FHIR server.
 */
final class EmbeddedService implements AutoCloseable {

  /**
   * What the demo's service runs.
   *
   * @param connector the connector's name, which is also its ingest path
   */
  record Settings(
      Path dataDir,
      String apiKey,
      String connector,
      Path deviceMapping,
      Path fhirMapping,
      String fhirUrl) {}

  private final ConfigurableApplicationContext context;
  private final URI baseUrl;

  private EmbeddedService(ConfigurableApplicationContext context) {
    this.context = context;
    this.baseUrl =
        URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
  }

  /** Starts the service; returns once it serves HTTP with its connector running. */
  static EmbeddedService start(Settings settings) {
    String prefix = "--iomt.connectors." + settings.connector() + ".";
    List<String> args = new ArrayList<>();
    // Only the service's own configuration: not an application.yml lying in the working directory.
    args.add("--spring.config.location=optional:classpath:/,optional:classpath:/config/");
    // SpringDoc, which HAPI brings, would publish an OpenAPI page of the service's endpoints.
    args.add("--springdoc.api-docs.enabled=false");
    args.add("--springdoc.swagger-ui.enabled=false");
    args.add("--server.address=127.0.0.1");
    args.add("--server.port=0");
    args.add("--iomt.data-dir=" + settings.dataDir().toAbsolutePath());
    args.add("--iomt.ingest.api-keys[0]=" + settings.apiKey());
    args.add(prefix + "device-mapping=" + settings.deviceMapping().toAbsolutePath());
    args.add(prefix + "fhir-mapping=" + settings.fhirMapping().toAbsolutePath());
    args.add(prefix + "fhir.url=" + settings.fhirUrl());
    args.add(prefix + "fhir.identity-resolution=Create");
    // The in-process HAPI server shares two cores with everything else here: a batch of 500
    // Observations can take longer than the default 30 s on a busy machine, and a timed-out batch
    // is sent again from the start.
    args.add(prefix + "fhir.request-timeout=2m");
    args.add(prefix + "flush.max-events=1000");
    args.add(prefix + "flush.max-age=1s");
    args.add(prefix + "partitions=4");
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(IomtServiceApplication.class)
            .bannerMode(Banner.Mode.OFF)
            .logStartupInfo(false)
            .registerShutdownHook(false)
            .run(args.toArray(String[]::new));
    return new EmbeddedService(context);
  }

  /** {@code http://127.0.0.1:<port>} */
  URI baseUrl() {
    return baseUrl;
  }

  URI ingestUrl(String connector) {
    return baseUrl.resolve("/ingest/" + connector);
  }

  /**
   * One of the service's beans (the demo reads the connector's consumer lag through its clients).
   */
  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  /** Stops the connector, the HTTP server and the embedded broker. */
  @Override
  public void close() {
    context.close();
  }
}
