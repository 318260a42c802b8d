package io.iomt.service.management.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates management callers by API key, before the OAuth2 resource server looks at bearer
 * tokens. A key is read from {@code X-API-Key}, or from {@code Authorization: Bearer <value>} where
 * the value is matched against the keys first; a bearer value that is no key but has a JWT's form
 * is left to the resource server when OAuth2 is configured, and refused otherwise. A request
 * without either header goes on unauthenticated (authorization then asks for credentials). When
 * neither API keys nor OAuth2 are configured, every request is refused. Thread-safe.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {
  /** Three base64url parts: a JWS in compact form. */
  private static final Pattern JWT_FORM =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

  private final SecurityContextHolderStrategy contexts =
      SecurityContextHolder.getContextHolderStrategy();
  private final ManagementApiKeys keys;
  private final boolean jwtEnabled;
  private final AuthenticationEntryPoint refuse;

  ApiKeyAuthenticationFilter(
      ManagementApiKeys keys, boolean jwtEnabled, AuthenticationEntryPoint refuse) {
    this.keys = keys;
    this.jwtEnabled = jwtEnabled;
    this.refuse = refuse;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (keys.isEmpty() && !jwtEnabled) {
      refuse.commence(
          request,
          response,
          new ManagementAuthenticationException("No authentication is configured."));
      return;
    }
    String header = request.getHeader("X-API-Key");
    if (header != null) {
      Optional<ManagementCaller> caller = keys.match(header.trim());
      if (caller.isEmpty()) {
        refuse.commence(
            request,
            response,
            new ManagementAuthenticationException(
                "The API key in the X-API-Key header is not valid."));
        return;
      }
      authenticate(caller.get());
    } else {
      String bearer = bearer(request);
      if (bearer != null) {
        Optional<ManagementCaller> caller = keys.match(bearer);
        if (caller.isPresent()) {
          authenticate(caller.get());
        } else if (!jwtEnabled || !JWT_FORM.matcher(bearer).matches()) {
          refuse.commence(
              request,
              response,
              new ManagementAuthenticationException(
                  jwtEnabled
                      ? "The bearer value in the Authorization header is neither a valid API key"
                          + " nor a JWT."
                      : "The bearer value in the Authorization header is not a valid API key."));
          return;
        } // else: a JWT, for the resource server
      }
    }
    chain.doFilter(request, response);
  }

  private void authenticate(ManagementCaller caller) {
    SecurityContext context = contexts.createEmptyContext();
    context.setAuthentication(new ApiKeyAuthentication(caller));
    contexts.setContext(context);
  }

  /** The value of {@code Authorization: Bearer <value>}, or null. */
  static String bearer(HttpServletRequest request) {
    String authorization = request.getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    return null;
  }
}
