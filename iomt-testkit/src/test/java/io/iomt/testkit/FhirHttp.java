package io.iomt.testkit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * A minimal FHIR JSON client for the tests: plain HTTP, so status codes and headers stay visible.
 */
final class FhirHttp {

  static final String FHIR_JSON = "application/fhir+json";

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final IParser parser = FhirContext.forR4Cached().newJsonParser();

  HttpResponse<String> get(String url) throws IOException {
    return send(request(url).GET());
  }

  HttpResponse<String> post(String url, IBaseResource body) throws IOException {
    return send(request(url).POST(json(body)));
  }

  HttpResponse<String> put(String url, IBaseResource body, String... headers) throws IOException {
    HttpRequest.Builder request = request(url).PUT(json(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request);
  }

  <T extends IBaseResource> T parse(Class<T> type, HttpResponse<String> response) {
    return parser.parseResource(type, response.body());
  }

  private HttpRequest.BodyPublisher json(IBaseResource resource) {
    return HttpRequest.BodyPublishers.ofString(
        parser.encodeResourceToString(resource), StandardCharsets.UTF_8);
  }

  private static HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(60))
        .header("Accept", FHIR_JSON)
        .header("Content-Type", FHIR_JSON + ";charset=UTF-8");
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted", e));
    }
  }
}
