package io.iomt.service.management.security;

import java.util.Objects;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who is calling the management API, for ARM's {@code systemData} ({@code createdBy}, {@code
 * createdByType}) and the audit log. Never holds a key or a token.
 *
 * @param name the API key's {@code name}, or the token's {@code preferred_username}, {@code upn},
 *     {@code oid} or {@code sub} (the first present)
 * @param type the kind of identity
 * @param role the role granted; null when a token carries none of the configured roles (such a
 *     caller is authenticated but may do nothing)
 */
public record ManagementCaller(String name, CallerType type, Role role) {
  public ManagementCaller {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  /**
   * The caller of the management request this thread serves (Spring Security's context); empty
   * outside such a request or when it is not authenticated.
   */
  public static Optional<ManagementCaller> current() {
    return of(SecurityContextHolder.getContext().getAuthentication());
  }

  /** The caller an authentication of the management API stands for; empty for anything else. */
  public static Optional<ManagementCaller> of(Authentication authentication) {
    if (authentication instanceof ApiKeyAuthentication key) {
      return Optional.of(key.caller());
    }
    if (authentication instanceof JwtAuthenticationToken jwt) {
      return Optional.of(JwtCallers.caller(jwt));
    }
    return Optional.empty();
  }

  /** The role's name for logs and messages: {@code reader}, {@code contributor} or {@code none}. */
  public String roleName() {
    return role == null ? "none" : role.setting();
  }

  /** Whether this caller may do what {@code needed} allows. */
  public boolean has(Role needed) {
    return role != null && role.compareTo(needed) >= 0;
  }
}
