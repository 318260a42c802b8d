package io.iomt.service.management.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.service.IomtProperties;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

class JwtCallersTest {
  final JwtCallers callers = new JwtCallers(new IomtProperties.OAuth2());

  static Jwt jwt(Consumer<Jwt.Builder> claims) {
    Jwt.Builder b =
        Jwt.withTokenValue("t")
            .header("alg", "RS256")
            .subject("sub-1")
            .issuedAt(Instant.EPOCH)
            .expiresAt(Instant.EPOCH.plusSeconds(60));
    claims.accept(b);
    return b.build();
  }

  ManagementCaller caller(Consumer<Jwt.Builder> claims) {
    return JwtCallers.caller((JwtAuthenticationToken) callers.convert(jwt(claims)));
  }

  @Test
  void rolesComeFromAnArrayOrASpaceSeparatedStringAndContributorWins() {
    assertThat(caller(b -> b.claim("roles", List.of("IoMT.Reader", "IoMT.Contributor"))).role())
        .isEqualTo(Role.CONTRIBUTOR);
    assertThat(caller(b -> b.claim("roles", "Other IoMT.Reader")).role()).isEqualTo(Role.READER);
    assertThat(caller(b -> b.claim("roles", List.of("Other"))).role()).isNull();
    assertThat(caller(b -> {}).roleName()).isEqualTo("none");
  }

  @Test
  void theNameIsTheFirstOfPreferredUsernameUpnOidAndSub() {
    assertThat(caller(b -> b.claim("oid", "o").claim("upn", "u")).name()).isEqualTo("u");
    assertThat(caller(b -> b.claim("oid", "o").claim("preferred_username", "p")).name())
        .isEqualTo("p");
    assertThat(caller(b -> b.claim("oid", "o")).name()).isEqualTo("o");
    assertThat(caller(b -> {}).name()).isEqualTo("sub-1");
  }

  @Test
  void appOnlyTokensAreApplicationsAndDelegatedOnesUsers() {
    assertThat(caller(b -> b.claim("idtyp", "app").claim("scp", "x")).type())
        .isEqualTo(CallerType.APPLICATION);
    assertThat(caller(b -> b.claim("azp", "client").claim("oid", "o")).type())
        .isEqualTo(CallerType.APPLICATION);
    assertThat(caller(b -> b.claim("appid", "client").claim("scp", "user_impersonation")).type())
        .isEqualTo(CallerType.USER);
    assertThat(caller(b -> b.claim("azp", "client").claim("preferred_username", "p")).type())
        .isEqualTo(CallerType.USER);
  }
}
