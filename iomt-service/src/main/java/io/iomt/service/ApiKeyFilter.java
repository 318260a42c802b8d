package io.iomt.service;

import io.iomt.service.web.JsonErrors;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every endpoint needs one of {@code iomt.ingest.api-keys}, in {@code X-API-Key} or as {@code
 * Authorization: Bearer <key>}: ingest and the Prometheus scrape alike. The health endpoints
 * ({@code /actuator/health/**}) are the exception, so probes need no key, but they show the status
 * only; a request with a valid key is marked as authenticated (a {@link Principal}), which
 * Actuator's {@code show-details: when-authorized} needs before it shows details (URLs, errors,
 * stage messages). A wrong key is refused there too. Keys are compared in constant time and never
 * logged or echoed. The keys are read through a supplier on every request, so a key referenced in
 * Key Vault is replaced as soon as a refresh reads its new version. Thread-safe.
 */
final class ApiKeyFilter extends OncePerRequestFilter {
  /** The name of the principal that a valid key stands for (no key is ever used as a name). */
  static final String PRINCIPAL = "api-key";

  private final Supplier<List<String>> keys;

  /**
   * @param keys the keys accepted right now, read on every request
   */
  ApiKeyFilter(Supplier<List<String>> keys) {
    this.keys = keys;
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
    if (presented == null && isHealth(request)) {
      chain.doFilter(request, response); // anonymous: the status only
      return;
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
    chain.doFilter(new Authenticated(request), response);
  }

  private static boolean isHealth(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return path.equals("/actuator/health") || path.startsWith("/actuator/health/");
  }

  /** The request of a caller that presented a valid key. */
  private static final class Authenticated extends HttpServletRequestWrapper {
    private static final Principal KEY_HOLDER = () -> PRINCIPAL;

    Authenticated(HttpServletRequest request) {
      super(request);
    }

    @Override
    public Principal getUserPrincipal() {
      return KEY_HOLDER;
    }
  }

  private boolean matches(byte[] presented) {
    boolean any = false;
    for (String key : keys.get()) {
      any |= MessageDigest.isEqual(key.getBytes(StandardCharsets.UTF_8), presented);
    }
    return any;
  }
}
