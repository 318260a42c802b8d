package io.iomt.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Calls the web console's API ({@code /api/console/...}) the way the page does: JSON, with the
 * management key in {@code X-API-Key} (none when {@code key} is null). Thread-safe.
 */
final class ConsoleApi {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An answer: its status, its text as sent and that text read as JSON (NullNode when empty). */
  record Answer(int status, String body, JsonNode json) {}

  private ConsoleApi() {}

  /** {@code path} from the root, e.g. {@code /api/console/connectors}. */
  static Answer call(String baseUrl, String method, String path, String body, String key) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (key != null) {
      request.header("X-API-Key", key);
    }
    try {
      HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(
          r.statusCode(), r.body(), r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot call " + method + " " + path, e);
    }
  }
}
