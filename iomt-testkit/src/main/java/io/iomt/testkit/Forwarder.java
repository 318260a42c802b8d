package io.iomt.testkit;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The forwarding half of {@link FaultInjectingProxy}: one request upstream, one response back. */
final class Forwarder {

  /** A response from upstream (or made up by the proxy). */
  record Response(int status, Map<String, List<String>> headers, byte[] body) {}

  /** Hop-by-hop headers, and those the JDK client or server set by themselves. */
  private static final Set<String> NOT_FORWARDED =
      Set.of(
          "connection",
          "content-length",
          "expect",
          "host",
          "keep-alive",
          "proxy-connection",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "date");

  private static final Set<String> REWRITTEN = Set.of("location", "content-location");

  private static final Set<String> NO_BODY_METHODS = Set.of("GET", "HEAD", "DELETE", "OPTIONS");

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String upstreamOrigin;
  private final String proxyOrigin;
  private final String basePath;

  Forwarder(URI upstream, String proxyOrigin) {
    this.upstreamOrigin = upstream.getScheme() + "://" + upstream.getRawAuthority();
    this.proxyOrigin = proxyOrigin;
    String path = upstream.getRawPath() == null ? "" : upstream.getRawPath();
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  String proxyBaseUrl() {
    return proxyOrigin + basePath;
  }

  /** Sends the request upstream; an unreachable upstream becomes a 502. */
  Response forward(HttpExchange exchange, byte[] body) {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    URI requestUri = exchange.getRequestURI();
    String target =
        upstreamOrigin
            + requestUri.getRawPath()
            + (requestUri.getRawQuery() == null ? "" : "?" + requestUri.getRawQuery());
    HttpRequest.BodyPublisher publisher =
        body.length == 0 && NO_BODY_METHODS.contains(method)
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(target))
            .timeout(Duration.ofMinutes(2))
            .method(method, publisher);
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> copyRequestHeader(request, name, value));
              }
            });
    String host = exchange.getRequestHeaders().getFirst("Host");
    request.header("X-Forwarded-Host", host != null ? host : proxyOrigin.substring(7));
    request.header("X-Forwarded-Proto", "http");
    try {
      HttpResponse<byte[]> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(
          response.statusCode(), rewriteLocations(response.headers().map()), response.body());
    } catch (IOException e) {
      return operationOutcome(502, "transient", "upstream unreachable: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return operationOutcome(502, "transient", "interrupted");
    }
  }

  private static void copyRequestHeader(HttpRequest.Builder request, String name, String value) {
    try {
      request.header(name, value);
    } catch (IllegalArgumentException e) {
      // A header the JDK client refuses to send (restricted name or invalid value): drop it.
    }
  }

  /** Points Location headers that name the upstream at the proxy, as a reverse proxy does. */
  private Map<String, List<String>> rewriteLocations(Map<String, List<String>> headers) {
    Map<String, List<String>> rewritten = new LinkedHashMap<>();
    headers.forEach(
        (name, values) ->
            rewritten.put(
                name,
                REWRITTEN.contains(name.toLowerCase(Locale.ROOT))
                    ? values.stream().map(this::rewrite).toList()
                    : values));
    return rewritten;
  }

  private String rewrite(String location) {
    return location.startsWith(upstreamOrigin + "/")
        ? proxyOrigin + location.substring(upstreamOrigin.length())
        : location;
  }

  /** Sends {@code response} to the client. */
  static void send(HttpExchange exchange, Response response) throws IOException {
    Headers headers = exchange.getResponseHeaders();
    response.headers().forEach((name, values) -> copyHeader(headers, name, values));
    boolean noBody =
        response.body().length == 0
            || "HEAD".equalsIgnoreCase(exchange.getRequestMethod())
            || response.status() == 204
            || response.status() == 304;
    exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
    if (!noBody) {
      exchange.getResponseBody().write(response.body());
    }
  }

  private static void copyHeader(Headers headers, String name, List<String> values) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (NOT_FORWARDED.contains(lower) || lower.startsWith(":")) {
      return;
    }
    headers.put(name, values);
  }

  /** Answers with an injected failure. */
  static void sendFault(HttpExchange exchange, Fault.Fail fail) throws IOException {
    String code =
        fail.status() == 429 ? "throttled" : fail.status() >= 500 ? "transient" : "processing";
    Response response = operationOutcome(fail.status(), code, "injected by FaultInjectingProxy");
    if (fail.retryAfter() != null) {
      long seconds = (fail.retryAfter().toMillis() + 999) / 1000;
      exchange.getResponseHeaders().set("Retry-After", Long.toString(seconds));
    }
    send(exchange, response);
  }

  private static Response operationOutcome(int status, String code, String diagnostics) {
    String json =
        "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\""
            + code
            + "\",\"diagnostics\":\""
            + diagnostics.replaceAll("[\\\\\"\\p{Cntrl}]", "'")
            + "\"}]}";
    return new Response(
        status,
        Map.of("Content-Type", List.of("application/fhir+json;charset=UTF-8")),
        json.getBytes(StandardCharsets.UTF_8));
  }
}
