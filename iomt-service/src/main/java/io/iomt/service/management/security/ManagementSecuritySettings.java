package io.iomt.service.management.security;

import io.iomt.service.IomtProperties;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks the authentication settings of the management API at start-up: every API key named, at
 * least {@value #MIN_KEY_LENGTH} characters, distinct, with the role {@code reader} or {@code
 * contributor}; OAuth2 URLs absolute and HTTPS (plain HTTP only on localhost or 127.0.0.1, for
 * tests). Problems name the setting, never a key's value. Stateless.
 */
public final class ManagementSecuritySettings {
  /** The shortest API key accepted. */
  public static final int MIN_KEY_LENGTH = 16;

  private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  private ManagementSecuritySettings() {}

  /** Adds every problem of {@code management}'s authentication settings to {@code problems}. */
  public static void check(IomtProperties.Management management, List<String> problems) {
    checkKeys(management.getApiKeys(), problems);
    checkOAuth2(management.getOauth2(), problems);
  }

  private static void checkKeys(List<IomtProperties.ApiKey> keys, List<String> problems) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      IomtProperties.ApiKey k = keys.get(i);
      String at = "iomt.management.api-keys[" + i + "]";
      if (k.getName() == null || k.getName().isBlank()) {
        problems.add(at + ".name: missing (who uses the key, for the audit log)");
      }
      String key = k.getKey();
      if (key == null || key.isBlank()) {
        problems.add(at + ".key: missing");
      } else if (!key.equals(key.strip())) {
        problems.add(at + ".key: must not begin or end with white space");
      } else if (key.length() < MIN_KEY_LENGTH) {
        problems.add(
            at + ".key: too short (at least " + MIN_KEY_LENGTH + " characters; use a random one)");
      } else {
        Integer earlier = seen.putIfAbsent(key, i);
        if (earlier != null) {
          problems.add(
              at + ".key: the same key as iomt.management.api-keys[" + earlier + "] (keys differ)");
        }
      }
      if (Role.fromSetting(k.getRole()).isEmpty()) {
        problems.add(at + ".role: '" + k.getRole() + "' is not a role (reader or contributor)");
      }
    }
  }

  private static void checkOAuth2(IomtProperties.OAuth2 o, List<String> problems) {
    checkUrl("iomt.management.oauth2.issuer-uri", o.getIssuerUri(), problems);
    checkUrl("iomt.management.oauth2.jwk-set-uri", o.getJwkSetUri(), problems);
    if (!isSet(o.getIssuerUri()) && !isSet(o.getJwkSetUri())) {
      return;
    }
    if (!isSet(o.getRolesClaim())) {
      problems.add("iomt.management.oauth2.roles-claim: missing (e.g. roles)");
    }
    if (o.getAudiences().stream().anyMatch(a -> !isSet(a))) {
      problems.add("iomt.management.oauth2.audiences: an audience is empty");
    }
    if (o.getReaderRoles().isEmpty() && o.getContributorRoles().isEmpty()) {
      problems.add(
          "iomt.management.oauth2: reader-roles and contributor-roles are both empty, so no token"
              + " could do anything");
    }
  }

  private static void checkUrl(String setting, String value, List<String> problems) {
    if (!isSet(value)) {
      return;
    }
    URI uri;
    try {
      uri = new URI(value.trim());
    } catch (URISyntaxException e) {
      problems.add(setting + ": '" + value + "' is not a URL");
      return;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    if (host.isEmpty() || !(scheme.equals("https") || scheme.equals("http"))) {
      problems.add(setting + ": '" + value + "' is not an https:// URL");
    } else if (scheme.equals("http") && !LOCAL_HOSTS.contains(host)) {
      problems.add(
          setting
              + ": '"
              + value
              + "' must use https (plain http is accepted for localhost and 127.0.0.1 only)");
    }
  }

  static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }
}
