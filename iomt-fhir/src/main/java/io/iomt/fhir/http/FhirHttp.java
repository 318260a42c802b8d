package io.iomt.fhir.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iomt.core.error.FhirServiceUnavailableException;
import io.iomt.core.error.UnauthorizedAccessFhirServiceException;
import io.iomt.core.retry.Backoff;
import io.iomt.fhir.auth.TokenProvider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * HTTP to one FHIR server: bearer authentication (refreshed once on 401/403), retries with {@link
 * Backoff} (full jitter) on 429/5xx/timeouts/connection errors honouring {@code Retry-After}, and
 * error classification. Returns every other response, 4xx included, for the caller to interpret.
 * Thread-safe. Tokens never appear in exceptions.
 */
public final class FhirHttp {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FHIR_JSON = "application/fhir+json";

  private final URI base;
  private final TokenProvider tokens;
  private final RetryPolicy retry;
  private final Backoff backoff;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration timeout;
  private final HttpClient client;
  private final AtomicLong requests = new AtomicLong();

  /** A response: status, headers (case-insensitive lookup), body text. */
  public record Response(int status, java.net.http.HttpHeaders headers, String body) {
    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    public boolean isSuccess() {
      return status >= 200 && status < 300;
    }
  }

  /** A client whose backoff jitter comes from {@link ThreadLocalRandom} and time from UTC. */
  public FhirHttp(
      URI base, TokenProvider tokens, RetryPolicy retry, Sleeper sleeper, Duration timeout) {
    this(base, tokens, retry, sleeper, timeout, Clock.systemUTC(), Backoff.CALLING_THREAD);
  }

  /**
   * @param clock what "now" is for a {@code Retry-After} given as an HTTP date
   * @param random the backoff's jitter source
   */
  public FhirHttp(
      URI base,
      TokenProvider tokens,
      RetryPolicy retry,
      Sleeper sleeper,
      Duration timeout,
      Clock clock,
      RandomGenerator random) {
    String b = base.toString();
    this.base = URI.create(b.endsWith("/") ? b : b + "/");
    this.tokens = tokens;
    this.retry = retry;
    this.clock = clock;
    this.backoff = retry.backoff(random, clock);
    this.sleeper = sleeper;
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  public URI base() {
    return base;
  }

  /** Requests sent so far, retries included. */
  public long requestCount() {
    return requests.get();
  }

  public Response get(String path) {
    return send("GET", path, null, Map.of());
  }

  /**
   * Sends one request, retrying what is worth retrying.
   *
   * @throws FhirServiceUnavailableException when the server stays unreachable or failing
   * @throws UnauthorizedAccessFhirServiceException when it refuses fresh credentials
   */
  public Response send(String method, String path, String body, Map<String, String> headers) {
    URI uri = base.resolve(path);
    boolean refreshed = false;
    String lastProblem = null;
    for (int attempt = 1; ; attempt++) {
      Duration retryAfter = null;
      try {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", FHIR_JSON)
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
          request.header("Content-Type", FHIR_JSON);
        }
        headers.forEach(request::header);
        tokens.token().ifPresent(t -> request.header("Authorization", "Bearer " + t));
        requests.incrementAndGet();
        HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        Response response = new Response(r.statusCode(), r.headers(), r.body());
        if (r.statusCode() == 401 || r.statusCode() == 403) {
          if (!refreshed) {
            refreshed = true;
            tokens.invalidate();
            attempt--;
            continue;
          }
          throw new UnauthorizedAccessFhirServiceException(
              "The FHIR server "
                  + base
                  + " refused the connector's credentials (HTTP "
                  + r.statusCode()
                  + ")"
                  + outcomeText(r.body()));
        }
        if (!RetryPolicy.isRetriable(r.statusCode())) {
          return response;
        }
        lastProblem = "HTTP " + r.statusCode() + outcomeText(r.body());
        retryAfter = retryAfter(response.header("Retry-After"), clock);
      } catch (IOException e) {
        lastProblem =
            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FhirServiceUnavailableException("Interrupted while calling " + uri, e);
      }
      if (attempt >= retry.maxAttempts()) {
        throw new FhirServiceUnavailableException(
            "The FHIR server "
                + base
                + " is unavailable: "
                + method
                + " "
                + path
                + " failed "
                + attempt
                + " times, last with "
                + lastProblem,
            null);
      }
      try {
        sleeper.sleep(backoff.delay(attempt, retryAfter));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FhirServiceUnavailableException("Interrupted while backing off from " + uri, e);
      }
    }
  }

  /**
   * {@code Retry-After} as seconds or an HTTP date (measured from {@code clock}'s now); null when
   * absent or unreadable.
   */
  static Duration retryAfter(String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Duration.ofSeconds(Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(clock.instant(), at.toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (RuntimeException ignored) {
        return null;
      }
    }
  }

  /** ": " + the OperationOutcome's diagnostics, or "" when the body has none. */
  public static String outcomeText(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    try {
      JsonNode node = JSON.readTree(body);
      JsonNode outcome =
          node.path("resourceType").asText().equals("OperationOutcome")
              ? node
              : node.path("response").path("outcome");
      StringBuilder b = new StringBuilder();
      for (JsonNode issue : outcome.path("issue")) {
        String text =
            issue.path("diagnostics").asText(issue.path("details").path("text").asText(""));
        if (!text.isEmpty()) {
          b.append(b.length() == 0 ? ": " : "; ").append(text);
        }
      }
      return b.toString();
    } catch (IOException e) {
      return "";
    }
  }
}
