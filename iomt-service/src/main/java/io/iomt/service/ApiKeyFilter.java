package io.iomt.service;

import io.iomt.service.web.JsonErrors;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every endpoint but the health probes needs one of {@code iomt.ingest.api-keys}, in {@code
 * X-API-Key} or as {@code Authorization: Bearer <key>}: ingest and the Prometheus scrape alike.
 * Keys are compared in constant time and never logged or echoed.
 */
final class ApiKeyFilter extends OncePerRequestFilter {
  private final List<byte[]> keys;

  ApiKeyFilter(List<String> keys) {
    this.keys = keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return path.equals("/actuator/health") || path.startsWith("/actuator/health/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String presented = request.getHeader("X-API-Key");
    String authorization = request.getHeader("Authorization");
    if (presented == null
        && authorization != null
        && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      presented = authorization.substring(7).trim();
    }
    if (presented == null) {
      JsonErrors.write(
          request,
          response,
          401,
          "Unauthorized",
          "Send an API key in the X-API-Key header or as 'Authorization: Bearer <key>'.");
      return;
    }
    if (!matches(presented.getBytes(StandardCharsets.UTF_8))) {
      JsonErrors.write(request, response, 401, "Unauthorized", "The API key is not valid.");
      return;
    }
    chain.doFilter(request, response);
  }

  private boolean matches(byte[] presented) {
    boolean any = false;
    for (byte[] key : keys) {
      any |= MessageDigest.isEqual(key, presented);
    }
    return any;
  }
}
