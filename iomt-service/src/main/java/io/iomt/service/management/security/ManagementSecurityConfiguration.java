package io.iomt.service.management.security;

import io.iomt.azure.keyvault.KeyVaultSecrets;
import io.iomt.service.IomtProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.web.client.RestTemplate;

/**
 * Three Spring Security filter chains. The management paths ({@code /subscriptions/**}, {@code
 * /providers/**}) and the web console's data ({@code /api/console/**}) are stateless (no session,
 * no CSRF token, no login form or basic authentication) and need an API key or an OAuth2 bearer
 * token in a header: GET and HEAD (and the mapping debugger's POSTs, which change nothing) the
 * reader role, everything else the contributor role. Since a browser sends such a header only from
 * script, never by itself, no other site can make a signed-in browser act on the API (no CSRF).
 *
 * <p>The console's page itself ({@code /console/**} and the WebJars it loads, {@code /webjars/**})
 * is served to anyone: it is the same static files as in the repository, holds no data and no
 * secret, and asks for the key or token before it calls the API. Those paths get strict security
 * headers (a Content-Security-Policy that allows only this origin's scripts, styles and requests;
 * no framing; no referrer; no sniffing).
 *
 * <p>Every other path (ingest, actuator) passes Spring Security untouched, guarded as before by the
 * service's ingest {@code ApiKeyFilter}. Spring Boot's generated user and password are not
 * configured (the application excludes {@code UserDetailsServiceAutoConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
public class ManagementSecurityConfiguration {
  /** The management API's paths and the web console's data. */
  static final String[] PATHS = {"/subscriptions/**", "/providers/**", "/api/console/**"};

  /** POSTs that change nothing (the mapping debugger's), open to readers. */
  static final String[] READ_ONLY_POSTS = {
    "/api/console/mappings/validate", "/api/console/mappings/test"
  };

  /** The web console's static page and the libraries it loads: public, no data. */
  static final String[] CONSOLE_PAGE_PATHS = {"/console", "/console/**", "/webjars/**"};

  /**
   * Only this origin's scripts, styles, images and requests; nothing inline, no plugins, no
   * framing. CodeMirror and uPlot set styles from script (CSSOM), which style-src does not govern.
   */
  static final String CONSOLE_CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self';"
          + " frame-ancestors 'none'";

  private static final Duration JWKS_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration JWKS_READ_TIMEOUT = Duration.ofSeconds(10);

  @Bean
  ManagementAudit managementAudit(MeterRegistry registry, Clock clock) {
    return new ManagementAudit(registry, clock);
  }

  @Bean
  @Order(1)
  SecurityFilterChain managementSecurityFilterChain(
      HttpSecurity http, IomtProperties properties, KeyVaultSecrets secrets, ManagementAudit audit)
      throws Exception {
    IomtProperties.Management settings = properties.getManagement();
    IomtProperties.OAuth2 oauth2 = settings.getOauth2();
    ManagementApiKeys keys = ManagementApiKeys.of(settings.getApiKeys(), secrets);
    boolean jwtEnabled =
        ManagementSecuritySettings.isSet(oauth2.getIssuerUri())
            || ManagementSecuritySettings.isSet(oauth2.getJwkSetUri());
    ArmSecurityErrors errors =
        new ArmSecurityErrors(
            audit,
            !keys.isEmpty(),
            jwtEnabled,
            ManagementSecuritySettings.isSet(oauth2.getIssuerUri())
                ? oauth2.getIssuerUri()
                : oauth2.getJwkSetUri());
    statelessWithoutLogin(http.securityMatcher(PATHS))
        .addFilterBefore(
            new ApiKeyAuthenticationFilter(keys, jwtEnabled, errors),
            BearerTokenAuthenticationFilter.class)
        .exceptionHandling(e -> e.authenticationEntryPoint(errors).accessDeniedHandler(errors))
        .authorizeHttpRequests(
            a ->
                a.requestMatchers(HttpMethod.GET)
                    .hasAuthority(Role.READER.authority())
                    // Testing a mapping changes nothing (it never writes to FHIR): a POST only
                    // because the mappings and messages travel in the body.
                    .requestMatchers(HttpMethod.POST, READ_ONLY_POSTS)
                    .hasAuthority(Role.READER.authority())
                    .requestMatchers(HttpMethod.HEAD)
                    .hasAuthority(Role.READER.authority())
                    .anyRequest()
                    .hasAuthority(Role.CONTRIBUTOR.authority()));
    if (jwtEnabled) {
      http.oauth2ResourceServer(
          o ->
              o.bearerTokenResolver(unlessAuthenticatedByKey())
                  .authenticationEntryPoint(errors)
                  .accessDeniedHandler(errors)
                  .jwt(
                      j ->
                          j.decoder(jwtDecoder(oauth2))
                              .jwtAuthenticationConverter(new JwtCallers(oauth2))));
    }
    return http.build();
  }

  /** The console's static page: anyone may load it; strict headers, no session, no login. */
  @Bean
  @Order(2)
  SecurityFilterChain consolePageFilterChain(HttpSecurity http) throws Exception {
    return statelessWithoutLogin(http.securityMatcher(CONSOLE_PAGE_PATHS))
        .authorizeHttpRequests(a -> a.anyRequest().permitAll())
        .headers(
            h ->
                h.contentSecurityPolicy(c -> c.policyDirectives(CONSOLE_CSP))
                    .frameOptions(f -> f.deny())
                    .referrerPolicy(r -> r.policy(ReferrerPolicy.NO_REFERRER)))
        .build();
  }

  /** Every other path: Spring Security stays out of the way (no login, session, CSRF, headers). */
  @Bean
  @Order(Ordered.LOWEST_PRECEDENCE)
  SecurityFilterChain otherPathsFilterChain(HttpSecurity http) throws Exception {
    return statelessWithoutLogin(http)
        .authorizeHttpRequests(a -> a.anyRequest().permitAll())
        .headers(AbstractHttpConfigurer::disable)
        .build();
  }

  /**
   * What every chain here shares: no session, no CSRF token (no cookie authenticates anything), no
   * login form, basic authentication, logout page or saved request.
   */
  private static HttpSecurity statelessWithoutLogin(HttpSecurity http) throws Exception {
    return http.sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .csrf(AbstractHttpConfigurer::disable)
        .formLogin(AbstractHttpConfigurer::disable)
        .httpBasic(AbstractHttpConfigurer::disable)
        .logout(AbstractHttpConfigurer::disable)
        .requestCache(AbstractHttpConfigurer::disable);
  }

  /** The bearer token, unless an API key already authenticated the request. */
  private static BearerTokenResolver unlessAuthenticatedByKey() {
    DefaultBearerTokenResolver tokens = new DefaultBearerTokenResolver();
    return request ->
        SecurityContextHolder.getContext().getAuthentication() instanceof ApiKeyAuthentication
            ? null
            : tokens.resolve(request);
  }

  /**
   * Validates signature (keys from the JWKS, found through the issuer's OpenID configuration unless
   * {@code jwk-set-uri} names it; fetched on first use, so start-up does not depend on the issuer),
   * expiry and not-before (60 s skew), the issuer when configured, and one of the audiences when
   * any are configured.
   */
  static JwtDecoder jwtDecoder(IomtProperties.OAuth2 o) {
    SimpleClientHttpRequestFactory http = new SimpleClientHttpRequestFactory();
    http.setConnectTimeout(JWKS_CONNECT_TIMEOUT);
    http.setReadTimeout(JWKS_READ_TIMEOUT);
    RestTemplate rest = new RestTemplate(http);
    boolean issuer = ManagementSecuritySettings.isSet(o.getIssuerUri());
    NimbusJwtDecoder decoder =
        (ManagementSecuritySettings.isSet(o.getJwkSetUri())
                ? NimbusJwtDecoder.withJwkSetUri(o.getJwkSetUri().trim())
                : NimbusJwtDecoder.withIssuerLocation(o.getIssuerUri().trim()))
            .restOperations(rest)
            .build();
    List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
    validators.add(
        issuer
            ? JwtValidators.createDefaultWithIssuer(o.getIssuerUri().trim())
            : new JwtTimestampValidator());
    List<String> audiences = o.getAudiences().stream().map(String::trim).toList();
    if (!audiences.isEmpty()) {
      validators.add(
          new JwtClaimValidator<List<String>>(
              JwtClaimNames.AUD, aud -> aud != null && aud.stream().anyMatch(audiences::contains)));
    }
    decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
    return decoder;
  }
}
