package io.iomt.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iomt.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A management client as {@code az rest} is one: ARM paths under a base URL, {@code api-version}
 * added, an API key or bearer token, JSON in and out; and the polling of long-running operations
 * that ARM clients do.
 */
final class ArmClient {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String API_VERSION = "2024-03-31";

  private final HttpClient http = HttpClient.newHttpClient();
  private final String baseUrl;
  private final Map<String, String> auth;

  /** A response: status, headers, and the body as JSON (null when empty). */
  record Response(int status, HttpResponse<String> raw, JsonNode json) {
    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    JsonNode error() {
      return json.path("error");
    }
  }

  ArmClient(String baseUrl, Map<String, String> auth) {
    this.baseUrl = baseUrl;
    this.auth = auth;
  }

  /** A client that sends this API key. */
  static ArmClient withKey(String baseUrl, String key) {
    return new ArmClient(baseUrl, Map.of("X-API-Key", key));
  }

  /** A client that sends no credentials. */
  static ArmClient anonymous(String baseUrl) {
    return new ArmClient(baseUrl, Map.of());
  }

  Response get(String path) {
    return send("GET", path, null, Map.of());
  }

  Response put(String path, String body) {
    return send("PUT", path, body, Map.of());
  }

  Response put(String path, String body, Map<String, String> headers) {
    return send("PUT", path, body, headers);
  }

  Response patch(String path, String body) {
    return send("PATCH", path, body, Map.of());
  }

  Response delete(String path) {
    return send("DELETE", path, null, Map.of());
  }

  /** The path as given, with {@code ?api-version=} unless it has a query already. */
  Response send(String method, String path, String body, Map<String, String> headers) {
    String url = path.startsWith("http") ? path : baseUrl + path;
    if (!url.contains("?")) {
      url += "?api-version=" + API_VERSION;
    }
    return sendRaw(method, url, body, headers);
  }

  Response sendRaw(String method, String url, String body, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    auth.forEach(b::header);
    headers.forEach(b::header);
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      String type = r.headers().firstValue("Content-Type").orElse("");
      if (!r.body().isEmpty() && type.contains("json")) {
        json = JSON.readTree(r.body());
      }
      return new Response(r.statusCode(), r, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Polls the response's {@code Azure-AsyncOperation} until the operation ends, as ARM clients do;
   * returns the final operation status.
   */
  JsonNode awaitOperation(Response accepted, Duration timeout) {
    String url = accepted.header("Azure-AsyncOperation");
    if (url == null) {
      throw new AssertionError("no Azure-AsyncOperation header: " + accepted.raw().headers());
    }
    return awaitOperation(url, timeout);
  }

  /** Polls an operation-status URL until the operation ends; returns its final status. */
  JsonNode awaitOperation(String url, Duration timeout) {
    return Await.atMost(timeout)
        .every(Duration.ofMillis(250))
        .until(
            "the operation " + url + " to end",
            () -> sendRaw("GET", url, null, Map.of()).json(),
            op -> op != null && !op.path("status").asText().equals("Running"));
  }

  /** Waits until the service has read its management store (503 until then). */
  void awaitReady() {
    Await.atMost(Duration.ofSeconds(60))
        .every(Duration.ofMillis(200))
        .until(
            "the management API to serve",
            () ->
                get("/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.HealthcareApis/workspaces")
                    .status(),
            s -> s == 200);
  }

  /** A JSON object from a string. */
  static com.fasterxml.jackson.databind.node.ObjectNode json(String text) {
    try {
      return (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a test resource as a string. */
  static String resource(String name) {
    try (var in = ArmClient.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
