package io.iomt.service.management.security;

import java.util.Arrays;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A caller authenticated by one of {@code iomt.management.api-keys}. Holds the key's name and role,
 * never the key. Immutable.
 */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {
  private static final long serialVersionUID = 1L;

  private final transient ManagementCaller caller;

  ApiKeyAuthentication(ManagementCaller caller) {
    super(authorities(caller.role()));
    this.caller = caller;
    setAuthenticated(true);
  }

  /** The authorities of {@code role}: a contributor holds the reader's too. */
  static List<GrantedAuthority> authorities(Role role) {
    if (role == null) {
      return List.of();
    }
    return Arrays.stream(Role.values())
        .filter(r -> r.compareTo(role) <= 0)
        .map(r -> (GrantedAuthority) new SimpleGrantedAuthority(r.authority()))
        .toList();
  }

  ManagementCaller caller() {
    return caller;
  }

  @Override
  public Object getCredentials() {
    return ""; // the key is not kept
  }

  @Override
  public Object getPrincipal() {
    return caller.name();
  }

  @Override
  public String getName() {
    return caller.name();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiKeyAuthentication other && other.caller.equals(caller);
  }

  @Override
  public int hashCode() {
    return caller.hashCode();
  }
}
