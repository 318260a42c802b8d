package io.iomt.service.management.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iomt.service.management.ArmError;
import io.iomt.service.web.JsonErrors;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Refusals of the management API in Azure Resource Manager's shape: 401 {@code
 * AuthenticationFailed} (with {@code WWW-Authenticate: Bearer}) and 403 {@code
 * AuthorizationFailed}. Messages say what is missing or wrong and never echo a key or token. A
 * refused change (any method but GET, HEAD, OPTIONS) is audited. Thread-safe.
 */
final class ArmSecurityErrors implements AuthenticationEntryPoint, AccessDeniedHandler {
  static final String AUTHENTICATION_FAILED = "AuthenticationFailed";
  static final String AUTHORIZATION_FAILED = "AuthorizationFailed";
  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
  private static final ObjectMapper JSON =
      new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_EMPTY);

  private final ManagementAudit audit;
  private final boolean keysEnabled;
  private final String issuer;
  private final boolean jwtEnabled;

  /**
   * @param issuer the OAuth2 issuer (or JWKS URL) named in "how to authenticate", null for none
   */
  ArmSecurityErrors(ManagementAudit audit, boolean keysEnabled, boolean jwtEnabled, String issuer) {
    this.audit = audit;
    this.keysEnabled = keysEnabled;
    this.jwtEnabled = jwtEnabled;
    this.issuer = issuer;
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    String message;
    String challenge = "Bearer realm=\"iomt-management\"";
    if (!keysEnabled && !jwtEnabled) {
      message =
          "The management API has no authentication configured, so it refuses every request."
              + " Configure API keys in iomt.management.api-keys (name, key of at least 16"
              + " characters, role reader or contributor) or an OAuth2/OIDC issuer in"
              + " iomt.management.oauth2.issuer-uri (or iomt.management.oauth2.jwk-set-uri).";
    } else if (e instanceof ManagementAuthenticationException) {
      message = e.getMessage();
    } else if (e instanceof OAuth2AuthenticationException oauth) {
      challenge += ", error=\"invalid_token\"";
      message = "The bearer token is not valid: " + reason(oauth, request);
    } else {
      message = "Authentication is required: " + howTo();
    }
    if (!READS.contains(request.getMethod())) {
      audit.record(null, request.getMethod(), path(request), "refused:" + AUTHENTICATION_FAILED);
    }
    response.setHeader("WWW-Authenticate", challenge);
    write(request, response, 401, ArmError.of(AUTHENTICATION_FAILED, message));
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    ManagementCaller caller = ManagementCaller.current().orElse(null);
    String name = caller == null ? "anonymous" : caller.name();
    String role = caller == null ? "none" : caller.roleName();
    String message =
        "The client '"
            + name
            + "' with role '"
            + role
            + "' does not have authorization to perform action '"
            + request.getMethod()
            + "' over scope '"
            + path(request)
            + "'."
            + (caller != null && caller.has(Role.READER)
                ? " Changes need the contributor role."
                : "");
    if (!READS.contains(request.getMethod())) {
      audit.record(caller, request.getMethod(), path(request), "refused:" + AUTHORIZATION_FAILED);
    }
    write(request, response, 403, ArmError.of(AUTHORIZATION_FAILED, message));
  }

  private String howTo() {
    StringBuilder b = new StringBuilder();
    if (keysEnabled) {
      b.append("send an API key in the X-API-Key header or as 'Authorization: Bearer <key>'");
    }
    if (jwtEnabled) {
      b.append(keysEnabled ? ", or " : "send ")
          .append("an OAuth2 access token from ")
          .append(issuer)
          .append(" as 'Authorization: Bearer <token>'");
    }
    return b.append('.').toString();
  }

  /** What the resource server found wrong, unless it could repeat the token. */
  private static String reason(OAuth2AuthenticationException e, HttpServletRequest request) {
    String description = e.getError().getDescription();
    String token = ApiKeyAuthenticationFilter.bearer(request);
    if (description == null
        || description.isBlank()
        || (token != null && !token.isEmpty() && description.contains(token))) {
      return "it could not be validated.";
    }
    return description;
  }

  private static String path(HttpServletRequest request) {
    return request.getRequestURI().substring(request.getContextPath().length());
  }

  /**
   * Writes the answer; a refused request whose body was not read gets {@code Connection: close}
   * before the answer is committed (the service closes such connections rather than drain them).
   */
  private static void write(
      HttpServletRequest request, HttpServletResponse response, int status, ArmError error)
      throws IOException {
    JsonErrors.closeIfBodyUnread(request, response);
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    JSON.writeValue(response.getOutputStream(), Map.of("error", error));
  }
}
