package io.iomt.service.management.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.service.IomtProperties;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManagementSecuritySettingsTest {
  static IomtProperties.ApiKey key(String name, String key, String role) {
    IomtProperties.ApiKey k = new IomtProperties.ApiKey();
    k.setName(name);
    k.setKey(key);
    k.setRole(role);
    return k;
  }

  static List<String> problems(IomtProperties.Management m) {
    List<String> problems = new ArrayList<>();
    ManagementSecuritySettings.check(m, problems);
    return problems;
  }

  @Test
  void noAuthenticationAtAllIsValidSettingsSinceTheApiThenRefusesEveryRequest() {
    assertThat(problems(new IomtProperties.Management())).isEmpty();
  }

  @Test
  void goodKeysAndAnHttpsIssuerPass() {
    IomtProperties.Management m = new IomtProperties.Management();
    m.setApiKeys(
        List.of(
            key("ci", "contributor-key-0123456789", "contributor"),
            key("ci", "contributor-key-rotated-0123", "Contributor"),
            key("dashboard", "reader-key-0123456789", "reader")));
    m.getOauth2().setIssuerUri("https://login.microsoftonline.com/tenant/v2.0");
    m.getOauth2().setJwkSetUri("http://127.0.0.1:8081/jwks");

    assertThat(problems(m)).isEmpty();
  }

  @Test
  void everyKeyProblemIsListedByItsSettingWithoutTheKey() {
    IomtProperties.Management m = new IomtProperties.Management();
    m.setApiKeys(
        List.of(
            key(null, "short-key", "reader"),
            key("a", "duplicate-key-0123456789", "owner"),
            key("b", "duplicate-key-0123456789", "reader"),
            key("c", null, "reader"),
            key("d", " padded-key-0123456789 ", "reader")));

    List<String> problems = problems(m);

    assertThat(problems)
        .containsExactly(
            "iomt.management.api-keys[0].name: missing (who uses the key, for the audit log)",
            "iomt.management.api-keys[0].key: too short (at least 16 characters; use a random one)",
            "iomt.management.api-keys[1].role: 'owner' is not a role (reader or contributor)",
            "iomt.management.api-keys[2].key: the same key as iomt.management.api-keys[1] (keys"
                + " differ)",
            "iomt.management.api-keys[3].key: missing",
            "iomt.management.api-keys[4].key: must not begin or end with white space");
    assertThat(String.join("\n", problems))
        .doesNotContain("short-key")
        .doesNotContain("duplicate-key")
        .doesNotContain("padded-key");
  }

  @Test
  void issuerAndJwksUrlsMustBeHttpsExceptOnThisMachine() {
    IomtProperties.Management m = new IomtProperties.Management();
    m.getOauth2().setIssuerUri("http://login.example.com/tenant");
    m.getOauth2().setJwkSetUri("ftp://keys");
    m.getOauth2().setRolesClaim(" ");

    assertThat(problems(m))
        .containsExactly(
            "iomt.management.oauth2.issuer-uri: 'http://login.example.com/tenant' must use https"
                + " (plain http is accepted for localhost and 127.0.0.1 only)",
            "iomt.management.oauth2.jwk-set-uri: 'ftp://keys' is not an https:// URL",
            "iomt.management.oauth2.roles-claim: missing (e.g. roles)");
  }
}
