package io.iomt.service;

import io.iomt.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The service as a separate JVM, started from the executable jar that {@code mvn package} built
 * ({@code target/iomt-service-exec.jar}; integration tests run after it), as a replica runs in
 * production. {@link #kill()} is SIGKILL: no shutdown hook, no last commit, no leaving the group.
 * Its output goes to a log file that failures point at.
 */
final class ServiceProcess implements AutoCloseable {
  private static final Path JAR = Path.of("target", "iomt-service-exec.jar");

  final String name;
  final String baseUrl;
  final Path log;
  private final Process process;
  private final HttpClient http = HttpClient.newHttpClient();

  private ServiceProcess(String name, Process process, int port, Path log) {
    this.name = name;
    this.process = process;
    this.baseUrl = "http://127.0.0.1:" + port;
    this.log = log;
  }

  /**
   * Starts a replica with {@code properties} (as {@code --key=value} arguments; {@code server.port}
   * is chosen here) and waits until it answers its liveness probe.
   */
  static ServiceProcess start(String name, Map<String, Object> properties, Path logDir) {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(
          JAR.toAbsolutePath() + " is missing: run the integration tests with mvn verify");
    }
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(
        List.of(
            "-Xmx384m",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xss512k",
            "-jar",
            JAR.toString(),
            "--server.port=" + port));
    properties.forEach(
        (k, v) -> {
          if (!k.equals("server.port")) { // chosen here
            command.add("--" + k + "=" + v);
          }
        });
    Path log = logDir.resolve(name + ".log");
    try {
      Files.createDirectories(logDir);
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      ServiceProcess s = new ServiceProcess(name, p, port, log);
      s.awaitLive();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitLive() {
    Await.atMost(Duration.ofSeconds(120))
        .every(Duration.ofMillis(250))
        .until(
            name + " answering its liveness probe (log: " + log + ")",
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    name + " exited with " + process.exitValue() + "; see " + log);
              }
              return status("/actuator/health/liveness");
            },
            s -> s == 200);
  }

  /** The HTTP status of a GET, or -1 when nothing answers. */
  int status(String path) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(baseUrl + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** A GET with the API key; the body, or a description of why there is none. */
  String get(String path) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(baseUrl + path))
                  .timeout(Duration.ofSeconds(10))
                  .header("Authorization", "Bearer " + RunningService.API_KEY)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.body();
    } catch (IOException e) {
      return "(no answer: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }

  /** SIGKILL, and waits until the process is gone. */
  void kill() {
    process.destroyForcibly();
    waitFor();
  }

  /** SIGTERM (a graceful Spring shutdown), and waits until the process is gone. */
  void stop() {
    process.destroy();
    waitFor();
  }

  private void waitFor() {
    try {
      if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      stop();
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
