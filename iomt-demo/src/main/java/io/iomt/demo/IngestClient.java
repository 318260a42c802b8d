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
import java.util.List;

/**
 * Posts device messages to the service's HTTP ingest endpoint ({@code POST /ingest/{connector}}, a
 * JSON array per request, {@code X-API-Key} header), as a device gateway would. Thread-safe.
 */
final class IngestClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ATTEMPTS = 3;

  private final URI url;
  private final String apiKey;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  IngestClient(URI url, String apiKey) {
    this.url = url;
    this.apiKey = apiKey;
  }

  URI url() {
    return url;
  }

  /**
   * Sends messages in one request and returns how many the service accepted (it answers only once
   * the broker has them). A dropped connection or a 503 is tried again, up to three attempts:
   * messages sent twice land in the same Observations.
   *
   * @throws IllegalStateException when the service refuses the messages
   */
  int post(List<String> messages) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .header("X-API-Key", apiKey)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "[" + String.join(",", messages) + "]", StandardCharsets.UTF_8))
            .build();
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<String> response =
            http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() == 202) {
          return JSON.readTree(response.body()).path("accepted").asInt();
        }
        if (response.statusCode() != 503 || attempt == ATTEMPTS) {
          throw refused(response);
        }
      } catch (IOException e) {
        if (attempt == ATTEMPTS) {
          throw new IllegalStateException("cannot send messages to " + url + ": " + e, e);
        }
      }
      Thread.sleep(500L * attempt);
    }
  }

  private IllegalStateException refused(HttpResponse<String> response) {
    String detail = response.body();
    try {
      JsonNode error = JSON.readTree(response.body());
      if (error.hasNonNull("code") || error.hasNonNull("message")) {
        detail = error.path("code").asText() + ": " + error.path("message").asText();
      }
    } catch (IOException notJson) {
      // Show the body as it is.
    }
    return new IllegalStateException(
        "the service refused messages with HTTP " + response.statusCode() + " (" + detail + ")");
  }
}
