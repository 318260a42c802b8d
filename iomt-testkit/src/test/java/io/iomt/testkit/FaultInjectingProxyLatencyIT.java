package io.iomt.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy's added latency: every request takes at least the latency, and concurrent requests are
 * delayed side by side rather than one after the other. The upstream is a plain HTTP server that
 * answers only once all {@value #CONCURRENT} requests have reached it, which they can only do if
 * the proxy delays and forwards them concurrently.
 */
class FaultInjectingProxyLatencyIT {
  private static final int CONCURRENT = 16;

  private final CountDownLatch arrived = new CountDownLatch(CONCURRENT);
  private HttpServer upstream;
  private FaultInjectingProxy proxy;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    upstream.setExecutor(Executors.newCachedThreadPool());
    upstream.createContext(
        "/",
        exchange -> {
          try (exchange) {
            arrived.countDown();
            boolean all = await(arrived);
            byte[] body = (all ? "together" : "alone").getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
        });
    upstream.start();
    proxy =
        FaultInjectingProxy.start("http://127.0.0.1:" + upstream.getAddress().getPort() + "/fhir");
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.stop(0);
  }

  private static boolean await(CountDownLatch latch) {
    try {
      return latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void concurrentRequestsAreEachDelayedByTheLatencyAndForwardedSideBySide() throws Exception {
    proxy.setLatency(Duration.ofMillis(50));
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    List<Long> sentAt = new ArrayList<>();
    for (int i = 0; i < CONCURRENT; i++) {
      sentAt.add(System.nanoTime());
      responses.add(
          client.sendAsync(
              HttpRequest.newBuilder(URI.create(proxy.baseUrl() + "/Observation/" + i)).build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < CONCURRENT; i++) {
      HttpResponse<String> r = responses.get(i).get(90, TimeUnit.SECONDS);
      long tookNanos = System.nanoTime() - sentAt.get(i);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).as("every request was upstream at the same time").isEqualTo("together");
      assertThat(tookNanos).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
    }
    assertThat(proxy.requestCount()).isEqualTo(CONCURRENT);
    assertThat(proxy.latency()).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void clearingFaultsKeepsTheLatencyAndANegativeOneIsRefused() {
    proxy.setLatency(Duration.ofMillis(5));
    proxy.clearFaults();
    assertThat(proxy.latency()).isEqualTo(Duration.ofMillis(5));
    proxy.setLatency(Duration.ZERO);
    assertThat(proxy.latency()).isZero();
    assertThatThrownBy(() -> proxy.setLatency(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
