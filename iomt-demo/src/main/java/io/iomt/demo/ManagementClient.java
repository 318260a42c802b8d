package io.iomt.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The service's management API as an ARM client ({@code az rest}) uses it: resource paths under the
 * service's URL with {@code api-version} added, the management key in {@code X-API-Key}, JSON in
 * and out, and long-running operations polled through {@code Azure-AsyncOperation}. Thread-safe.
 */
final class ManagementClient {
  static final String API_VERSION = "2024-03-31";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(250);

  /**
   * An answer.
   *
   * @param body the body as JSON, or null when it has none
   * @param operation the {@code Azure-AsyncOperation} URL, or null
   */
  record Response(int status, JsonNode body, String operation) {}

  private final URI baseUrl;
  private final String key;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /**
   * @param key a management API key with the contributor role; sent, never shown
   */
  ManagementClient(URI baseUrl, String key) {
    this.baseUrl = baseUrl;
    this.key = key;
  }

  /**
   * Waits until the service has read its store of resources (it answers 503 until then).
   *
   * @throws IllegalStateException when it does not within {@code timeout}
   */
  void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Response last;
    do {
      last =
          send(
              "GET",
              path(
                  "/subscriptions/"
                      + DemoConnector.SUBSCRIPTION
                      + "/providers/Microsoft.HealthcareApis/workspaces"),
              null);
      if (last.status() == 200) {
        return;
      }
      Thread.sleep(POLL.toMillis());
    } while (System.nanoTime() < deadline);
    throw new IllegalStateException(
        "the management API did not become ready within "
            + timeout.toSeconds()
            + " s (last answer: HTTP "
            + last.status()
            + ")");
  }

  /** The resource at an ARM path, or empty when there is none (404). */
  Optional<JsonNode> get(String path) throws InterruptedException {
    Response r = send("GET", path(path), null);
    if (r.status() == 404) {
      return Optional.empty();
    }
    return Optional.of(require(r, 200, "GET " + path));
  }

  /**
   * PUTs a resource and waits until its operation has ended.
   *
   * @throws IllegalStateException when the PUT is refused or its operation fails, with ARM's error
   */
  void putAndAwait(String path, JsonNode body, Duration timeout) throws InterruptedException {
    Response put = send("PUT", path(path), body.toString());
    if (put.status() != 200 && put.status() != 201) {
      throw refused("PUT " + path, put);
    }
    if (put.operation() == null) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode op = require(send("GET", URI.create(put.operation()), null), 200, "the operation");
      String status = op.path("status").asText();
      if (status.equals("Succeeded")) {
        return;
      }
      if (!status.equals("Running") || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "PUT "
                + path
                + " ended "
                + (status.equals("Running")
                    ? "still running after " + timeout.toSeconds() + " s"
                    : status)
                + ": "
                + op.path("error"));
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private URI path(String path) {
    return baseUrl.resolve(path + "?api-version=" + API_VERSION);
  }

  private static JsonNode require(Response r, int status, String what) {
    if (r.status() != status) {
      throw refused(what, r);
    }
    return r.body();
  }

  private static IllegalStateException refused(String what, Response r) {
    JsonNode error = r.body() == null ? null : r.body().path("error");
    return new IllegalStateException(
        what
            + " answered HTTP "
            + r.status()
            + (error == null || error.isMissingNode()
                ? ""
                : ": " + error.path("code").asText() + ": " + error.path("message").asText()));
  }

  private Response send(String method, URI url, String body) throws InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(60))
            .header("X-API-Key", key)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> r =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      JsonNode json = null;
      if (!r.body().isBlank()
          && r.headers().firstValue("Content-Type").orElse("").contains("json")) {
        json = JSON.readTree(r.body());
      }
      return new Response(
          r.statusCode(), json, r.headers().firstValue("Azure-AsyncOperation").orElse(null));
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach the management API at " + url + ": " + e, e);
    }
  }
}
