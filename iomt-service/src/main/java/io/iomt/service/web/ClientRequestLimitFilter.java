package io.iomt.service.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code limit} requests of one client address in progress at once; the next one is
 * answered {@code 429 TooManyRequests} at once, without reading its body, so a client that opens
 * many slow requests holds at most {@code limit} worker threads and cannot starve the others.
 * Behind a proxy the address is the proxy's unless {@code server.forward-headers-strategy: native}
 * makes Tomcat take the client's from {@code X-Forwarded-For}. Thread-safe; an address is tracked
 * only while it has requests in progress.
 */
public final class ClientRequestLimitFilter
    extends org.springframework.web.filter.OncePerRequestFilter {
  private final int limit;
  private final Map<String, Integer> inProgress = new ConcurrentHashMap<>();

  /**
   * @param limit requests in progress per client address, positive
   */
  public ClientRequestLimitFilter(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    this.limit = limit;
  }

  /** Requests in progress for an address (0 when none). */
  int inProgress(String address) {
    return inProgress.getOrDefault(address, 0);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String address = request.getRemoteAddr();
    if (inProgress.merge(address, 1, Integer::sum) > limit) {
      release(address);
      response.setHeader("Retry-After", "1");
      JsonErrors.write(
          request,
          response,
          429,
          "TooManyRequests",
          "This client already has "
              + limit
              + " requests in progress (iomt.ingest.max-requests-per-client); retry when one has"
              + " been answered.");
      return;
    }
    try {
      chain.doFilter(request, response);
    } finally {
      release(address);
    }
  }

  private void release(String address) {
    inProgress.computeIfPresent(address, (k, n) -> n == 1 ? null : n - 1);
  }
}
