package io.iomt.demo;

import io.iomt.service.IomtServiceApplication;
import io.iomt.service.KafkaRuntime;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The connector service ({@link IomtServiceApplication}) started in this JVM on its embedded
 * defaults: its own Kafka broker with data in {@code <data-dir>/kafka} (where the management API
 * keeps its resources too), HTTP ingest and the management API on a loopback port. It has no
 * connector of its own: the demo makes one through the management API ({@link DemoConnector}).
 */
final class EmbeddedService implements AutoCloseable {

  /**
   * What the demo's service runs.
   *
   * @param ingestKey the key HTTP ingest takes
   * @param managementKey the management API's contributor key (also the console's)
   * @param port the HTTP port on 127.0.0.1, 0 for a free one
   */
  record Settings(Path dataDir, String ingestKey, String managementKey, int port) {}

  private final ConfigurableApplicationContext context;
  private final URI baseUrl;

  private EmbeddedService(ConfigurableApplicationContext context) {
    this.context = context;
    this.baseUrl =
        URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
  }

  /** Starts the service; returns once it serves HTTP (the management API may still answer 503). */
  static EmbeddedService start(Settings settings) {
    List<String> args = new ArrayList<>();
    // Only the service's own configuration: not an application.yml lying in the working directory.
    args.add("--spring.config.location=optional:classpath:/,optional:classpath:/config/");
    // SpringDoc, which HAPI brings, would publish an OpenAPI page of the service's endpoints.
    args.add("--springdoc.api-docs.enabled=false");
    args.add("--springdoc.swagger-ui.enabled=false");
    args.add("--server.address=127.0.0.1");
    args.add("--server.port=" + settings.port());
    args.add("--iomt.data-dir=" + settings.dataDir().toAbsolutePath());
    args.add("--iomt.ingest.api-keys[0]=" + settings.ingestKey());
    args.add("--iomt.management.api-keys[0].name=demo");
    args.add("--iomt.management.api-keys[0].key=" + settings.managementKey());
    args.add("--iomt.management.api-keys[0].role=contributor");
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

  /** The embedded broker's address, {@code 127.0.0.1:<port>}, for any Kafka client. */
  String bootstrapServers() {
    return bean(KafkaRuntime.class).clients().bootstrapServers();
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
