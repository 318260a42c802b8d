package io.iomt.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * A small HTTP reverse proxy on a free loopback port, in front of any base URL, that forwards
 * requests and responses faithfully (method, path, query, headers such as {@code If-Match}, {@code
 * ETag} and {@code Location}, body) and fails, delays or drops them on request, so tests can show
 * how a FHIR client copes with throttling and outages and count the requests it sends.
 *
 * <p>Paths map one to one: {@link #baseUrl()} is the upstream base URL with this proxy's host and
 * port. The proxy adds {@code X-Forwarded-Host} and {@code X-Forwarded-Proto} (which {@link
 * HapiFhirServer} honours in the links it writes) and rewrites {@code Location} and {@code
 * Content-Location} headers that point upstream. An unreachable upstream is answered with 502.
 *
 * <p><b>Faults</b> are consumed one per request, in the order they were scheduled: {@code
 * failNext(2, 429, 1s)} then {@code delayNext(1, 2s)} fails the next two requests and delays the
 * third; {@link #rewriteNext(int, UnaryOperator)} alters a forwarded response's body. While a
 * {@link #dropConnectionsFor(Duration) drop window} is open, every request has its connection
 * closed without an answer and the scheduled faults wait.
 *
 * <p><b>Latency.</b> {@link #setLatency(Duration)} holds every request for a fixed time before it
 * is handled, as a network hop to a distant server would: a benchmark can put a FHIR server 50 ms
 * away. Requests are delayed independently (each waits on its own pooled thread, which it holds
 * anyway while the request is forwarded; the pool grows with the requests in flight), so 16
 * concurrent requests each take the 50 ms, not 16 times 50 ms in a row. Latency stays until set to
 * zero; {@link #clearFaults()} leaves it.
 *
 * <p><b>Counting.</b> {@link #requestCount()} and {@link #requests()} cover requests that reached
 * (or were sent towards) the upstream; requests answered or dropped by a fault are counted by
 * {@link #faultCount()} only. A request is counted before its response is sent, so a test that has
 * its response can assert on the counts.
 *
 * <p><b>Thread-safety and lifecycle.</b> All methods are thread-safe; requests are served
 * concurrently on daemon threads. The proxy runs from {@link #start(String)} until {@link
 * #close()}.
 */
public final class FaultInjectingProxy implements AutoCloseable {

  /** A forwarded request: method, raw path and query, and the status the upstream answered. */
  public record ForwardedRequest(String method, String pathAndQuery, int status) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final Forwarder forwarder;
  private final FaultSchedule faults = new FaultSchedule();
  private final List<ForwardedRequest> forwarded = new ArrayList<>();
  private int faultCount;
  private volatile Duration latency = Duration.ZERO;

  private FaultInjectingProxy(URI upstream) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    String origin = "http://127.0.0.1:" + server.getAddress().getPort();
    forwarder = new Forwarder(upstream, origin);
    executor =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "fault-injecting-proxy");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Starts a proxy in front of {@code upstreamBaseUrl}, for example {@link
   * HapiFhirServer#baseUrl()}.
   */
  public static FaultInjectingProxy start(String upstreamBaseUrl) {
    URI upstream = URI.create(Objects.requireNonNull(upstreamBaseUrl, "upstreamBaseUrl"));
    if (!"http".equals(upstream.getScheme()) || upstream.getHost() == null) {
      throw new IllegalArgumentException("not an http:// base URL: " + upstreamBaseUrl);
    }
    try {
      return new FaultInjectingProxy(upstream);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the proxy", e);
    }
  }

  /** The upstream base URL with this proxy's host and port, without a trailing slash. */
  public String baseUrl() {
    return forwarder.proxyBaseUrl();
  }

  /**
   * Answers the next {@code count} requests with {@code status} and a FHIR OperationOutcome,
   * without forwarding them.
   *
   * @param retryAfter sent as a {@code Retry-After} header in whole seconds (rounded up), or {@code
   *     null} for none
   */
  public void failNext(int count, int status, Duration retryAfter) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    faults.add(count, new Fault.Fail(status, retryAfter));
  }

  /** Holds each of the next {@code count} requests for {@code delay}, then forwards it. */
  public void delayNext(int count, Duration delay) {
    faults.add(count, new Fault.Delay(Objects.requireNonNull(delay, "delay")));
  }

  /**
   * Closes the connection of each of the next {@code count} requests without forwarding them. Note
   * that the JDK {@code HttpClient} silently retries a GET whose pooled connection closed without
   * an answer: test drops with writes, or expect a GET to go through on its retry.
   */
  public void dropNext(int count) {
    faults.add(count, new Fault.DropRequest());
  }

  /**
   * Forwards each of the next {@code count} requests, then closes the connection instead of
   * returning the response: the upstream did the work but the client cannot know it.
   */
  public void loseResponseNext(int count) {
    faults.add(count, new Fault.LoseResponse());
  }

  /**
   * Forwards each of the next {@code count} requests and answers with the upstream's status and
   * headers but with its body (read as UTF-8) passed through {@code rewrite}: a truncated bundle, a
   * response entry without its {@code etag}, or a stale answer, as a misbehaving server or gateway
   * would send. {@code Content-Length} follows the new body.
   */
  public void rewriteNext(int count, UnaryOperator<String> rewrite) {
    faults.add(count, new Fault.RewriteBody(Objects.requireNonNull(rewrite, "rewrite")));
  }

  /**
   * Holds every later request for {@code latency} before handling it (forwarding it or applying its
   * fault); {@link Duration#ZERO} turns the latency off.
   */
  public void setLatency(Duration latency) {
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative: " + latency);
    }
    this.latency = latency;
  }

  /** The latency added to every request, zero by default. */
  public Duration latency() {
    return latency;
  }

  /** Closes the connection of every request received during the next {@code duration}. */
  public void dropConnectionsFor(Duration duration) {
    faults.dropFor(duration);
  }

  /** Cancels every scheduled fault and the drop window. */
  public void clearFaults() {
    faults.clear();
  }

  /** Number of requests forwarded upstream; those that found it unreachable count, with a 502. */
  public synchronized int requestCount() {
    return forwarded.size();
  }

  /** Number of requests forwarded with this HTTP method (case-insensitive). */
  public synchronized int requestCount(String method) {
    return (int) forwarded.stream().filter(e -> e.method().equalsIgnoreCase(method)).count();
  }

  /** The forwarded requests in the order they completed. */
  public synchronized List<ForwardedRequest> requests() {
    return List.copyOf(forwarded);
  }

  /** Number of requests answered or dropped by a fault (delays and lost responses excluded). */
  public synchronized int faultCount() {
    return faultCount;
  }

  /** Forgets forwarded requests and faults counted so far; scheduled faults stay. */
  public synchronized void resetCounts() {
    forwarded.clear();
    faultCount = 0;
  }

  /** Stops the proxy; open connections are closed. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Duration added = latency;
      if (!added.isZero()) {
        sleep(added);
      }
      Fault fault = faults.next().orElse(null);
      if (fault instanceof Fault.Fail fail) {
        countFault();
        Forwarder.sendFault(exchange, fail);
        return;
      }
      if (fault instanceof Fault.DropRequest) {
        countFault();
        return; // closing an exchange before its response headers closes the connection
      }
      if (fault instanceof Fault.Delay delay) {
        sleep(delay.delay());
      }
      Forwarder.Response response = forwarder.forward(exchange, body);
      record(
          new ForwardedRequest(
              exchange.getRequestMethod(), pathAndQuery(exchange), response.status()));
      if (fault instanceof Fault.RewriteBody rewrite) {
        String original = new String(response.body(), StandardCharsets.UTF_8);
        response =
            new Forwarder.Response(
                response.status(),
                response.headers(),
                rewrite.rewrite().apply(original).getBytes(StandardCharsets.UTF_8));
      }
      if (!(fault instanceof Fault.LoseResponse)) {
        Forwarder.send(exchange, response);
      }
    }
  }

  private synchronized void record(ForwardedRequest request) {
    forwarded.add(request);
  }

  private synchronized void countFault() {
    faultCount++;
  }

  private static String pathAndQuery(HttpExchange exchange) {
    URI uri = exchange.getRequestURI();
    return uri.getRawQuery() == null
        ? uri.getRawPath()
        : uri.getRawPath() + "?" + uri.getRawQuery();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
