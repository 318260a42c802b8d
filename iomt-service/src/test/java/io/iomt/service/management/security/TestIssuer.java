package io.iomt.service.management.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.function.Consumer;

/**
 * An OpenID issuer on 127.0.0.1 for tests: it serves its OpenID configuration and its JWKS (one RSA
 * key) like Entra ID or Keycloak, and signs tokens with that key. {@link #forge} signs with another
 * key under the same key id (a bad signature). Close it after use.
 */
public final class TestIssuer implements AutoCloseable {
  private static final String KEY_ID = "test-key-1";

  private final HttpServer server;
  private final RSAKey key;
  private final RSAKey impostor;

  private TestIssuer(HttpServer server, RSAKey key, RSAKey impostor) {
    this.server = server;
    this.key = key;
    this.impostor = impostor;
  }

  public static TestIssuer start() {
    try {
      RSAKey key = new RSAKeyGenerator(2048).keyID(KEY_ID).generate();
      RSAKey impostor = new RSAKeyGenerator(2048).keyID(KEY_ID).generate();
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      TestIssuer issuer = new TestIssuer(server, key, impostor);
      server.createContext(
          "/.well-known/openid-configuration",
          x ->
              respond(
                  x,
                  "{\"issuer\":\""
                      + issuer.uri()
                      + "\",\"jwks_uri\":\""
                      + issuer.uri()
                      + "/jwks\",\"subject_types_supported\":[\"public\"]}"));
      server.createContext("/jwks", x -> respond(x, new JWKSet(key.toPublicJWK()).toString()));
      server.start();
      return issuer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The issuer URL, {@code http://127.0.0.1:<port>}. */
  public String uri() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * A token signed by this issuer: {@code iss} this issuer, expiring in 10 minutes, with the claims
   * {@code claims} adds (or overrides).
   */
  public String token(Consumer<JWTClaimsSet.Builder> claims) {
    return sign(key, claims);
  }

  /** {@link #token} signed with a key the JWKS does not hold, under the same key id. */
  public String forge(Consumer<JWTClaimsSet.Builder> claims) {
    return sign(impostor, claims);
  }

  private String sign(RSAKey with, Consumer<JWTClaimsSet.Builder> claims) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder b =
        new JWTClaimsSet.Builder()
            .issuer(uri())
            .subject("subject-1")
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now.minusSeconds(60)))
            .expirationTime(Date.from(now.plusSeconds(600)));
    claims.accept(b);
    try {
      SignedJWT jwt =
          new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY_ID).build(), b.build());
      jwt.sign(new RSASSASigner(with));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void respond(HttpExchange x, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(200, body.length);
    try (var out = x.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
