package io.iomt.service.management.security;

import io.iomt.service.IomtProperties;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Turns a validated JWT into the management caller it stands for: its role from the configured
 * roles claim, its name and whether it is a user or an application. Thread-safe (immutable).
 *
 * <p>The name is the first of {@code preferred_username}, {@code upn}, {@code oid}, {@code sub}.
 *
 * <p>The role comes from the claim {@code iomt.management.oauth2.roles-claim} (a JSON array, or one
 * string of space-separated values as in {@code scope}): a value among {@code contributor-roles}
 * makes a contributor, else one among {@code reader-roles} a reader, else the caller has no role.
 *
 * <p>User or application, kept simple and following Entra ID's tokens: {@code idtyp} says so when
 * present ({@code app} or {@code user}); otherwise a token with {@code scp} (delegated scopes) is a
 * user's; otherwise one naming a client ({@code azp} or {@code appid}) but no user ({@code
 * preferred_username}, {@code upn}) is an application's; anything else counts as a user's.
 */
final class JwtCallers implements Converter<Jwt, AbstractAuthenticationToken> {
  private final String rolesClaim;
  private final List<String> readerRoles;
  private final List<String> contributorRoles;

  JwtCallers(IomtProperties.OAuth2 settings) {
    this.rolesClaim = settings.getRolesClaim();
    this.readerRoles = List.copyOf(settings.getReaderRoles());
    this.contributorRoles = List.copyOf(settings.getContributorRoles());
  }

  @Override
  public AbstractAuthenticationToken convert(Jwt jwt) {
    List<GrantedAuthority> authorities = ApiKeyAuthentication.authorities(role(jwt));
    return new JwtAuthenticationToken(jwt, authorities, name(jwt));
  }

  /** The role the token's roles claim grants; null for none. */
  Role role(Jwt jwt) {
    List<String> values = claimValues(jwt.getClaims().get(rolesClaim));
    if (values.stream().anyMatch(contributorRoles::contains)) {
      return Role.CONTRIBUTOR;
    }
    if (values.stream().anyMatch(readerRoles::contains)) {
      return Role.READER;
    }
    return null;
  }

  private static List<String> claimValues(Object claim) {
    List<String> values = new ArrayList<>();
    if (claim instanceof Collection<?> c) {
      c.forEach(v -> values.add(String.valueOf(v)));
    } else if (claim instanceof String s) {
      for (String v : s.trim().split("\\s+")) {
        if (!v.isEmpty()) {
          values.add(v);
        }
      }
    }
    return values;
  }

  static String name(Jwt jwt) {
    for (String claim : List.of("preferred_username", "upn", "oid", "sub")) {
      String v = jwt.getClaimAsString(claim);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return "unknown";
  }

  static CallerType type(Jwt jwt) {
    String idtyp = jwt.getClaimAsString("idtyp");
    if ("app".equalsIgnoreCase(idtyp)) {
      return CallerType.APPLICATION;
    }
    if ("user".equalsIgnoreCase(idtyp) || jwt.hasClaim("scp")) {
      return CallerType.USER;
    }
    boolean client = jwt.hasClaim("azp") || jwt.hasClaim("appid");
    boolean user = jwt.hasClaim("preferred_username") || jwt.hasClaim("upn");
    return client && !user ? CallerType.APPLICATION : CallerType.USER;
  }

  /** The caller of an authentication this converter made. */
  static ManagementCaller caller(JwtAuthenticationToken token) {
    Role role = null;
    for (GrantedAuthority a : token.getAuthorities()) {
      for (Role r : Role.values()) {
        if (r.authority().equals(a.getAuthority()) && (role == null || r.compareTo(role) > 0)) {
          role = r;
        }
      }
    }
    return new ManagementCaller(token.getName(), type(token.getToken()), role);
  }
}
