package io.iomt.testkit.azure.keyvault;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.tcp.SslProvider;

/**
 * Azure Key Vault's secrets API as far as the SDK's {@code SecretClient.getSecret} needs it, served
 * over HTTPS on loopback with a self-signed certificate made at start. A test fixture, never
 * shipped.
 *
 * <p>What it answers, as Key Vault does:
 *
 * <ul>
 *   <li>a request without a token this vault issued ({@link #credential()}): 401 with {@code
 *       WWW-Authenticate: Bearer authorization="https://login.microsoftonline.com/<tenant>",
 *       resource="https://vault.azure.net"}, the challenge the SDK's credential policy answers;
 *   <li>{@code GET /secrets/{name}[/][{version}]?api-version=...}: 200 with {@code value}, {@code
 *       id} ({@code <vault>/secrets/<name>/<version>}), {@code attributes} and {@code tags}; the
 *       latest version when none is named;
 *   <li>an unknown secret or version: 404 with {@code {"error":{"code":"SecretNotFound",...}}};
 *   <li>after {@link #denyAccess()}: 403 with {@code {"error":{"code":"Forbidden",...}}} to every
 *       authorized request, until {@link #allowAccess()}.
 * </ul>
 *
 * Clients trust it through {@link #httpClient()} (the SDK's Netty client with this certificate as
 * its only trust anchor), {@link #sslContext()} or {@link #trustManagers()}. Its vault URL is
 * {@code https://127.0.0.1:<port>}, whose host is no {@code *.vault.azure.net}: SDK clients must
 * {@code disableChallengeResourceVerification()}.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} once. Thread-safe: secrets and access may
 * change while clients read.
 */
public final class FakeKeyVault implements AutoCloseable {
  /** The tenant named in the challenge. */
  public static final String TENANT = "00000000-0000-0000-0000-0000000fa4e0";

  private final Map<String, List<Version>> secrets = new ConcurrentHashMap<>();
  private final List<String> tokenScopes = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger secretReads = new AtomicInteger();
  private final String token = "fake-kv-token-" + UUID.randomUUID();
  private volatile boolean denied;
  private HttpsServer server;
  private ExecutorService executor;

  private record Version(String id, String value, OffsetDateTime created) {}

  /** Starts serving on a free loopback port. */
  public synchronized FakeKeyVault start() {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    try {
      server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open the fake Key Vault's port", e);
    }
    server.setHttpsConfigurator(new HttpsConfigurator(SelfSignedCertificate.get().serverContext()));
    executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "fake-key-vault");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    return this;
  }

  /** {@code https://127.0.0.1:<port>}: what a {@code SecretUri} or {@code vaultUrl} starts with. */
  public URI vaultUrl() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Stores a new version of the secret, which becomes its latest.
   *
   * @return the new version's id (32 hex digits, as Key Vault's)
   */
  public String putSecret(String name, String value) {
    String id = UUID.randomUUID().toString().replace("-", "");
    secrets
        .computeIfAbsent(name, n -> new CopyOnWriteArrayList<>())
        .add(new Version(id, value, OffsetDateTime.now()));
    return id;
  }

  /** Removes the secret and all its versions (later reads get 404 {@code SecretNotFound}). */
  public void deleteSecret(String name) {
    secrets.remove(name);
  }

  /** Every authorized request gets 403 {@code Forbidden} from now on (a revoked role). */
  public void denyAccess() {
    denied = true;
  }

  /** Undoes {@link #denyAccess()}. */
  public void allowAccess() {
    denied = false;
  }

  /** Every request received, challenges and refusals included. */
  public int requestCount() {
    return requests.get();
  }

  /** Secrets (or versions) answered with 200. */
  public int secretReadCount() {
    return secretReads.get();
  }

  /** The scopes clients asked {@link #credential()} for, one entry per token request. */
  public List<String> tokenScopes() {
    return List.copyOf(tokenScopes);
  }

  /**
   * A credential issuing the one token this vault accepts (valid for an hour), standing in for
   * azure-identity; records the scopes it was asked for.
   */
  public TokenCredential credential() {
    return new TokenCredential() {
      @Override
      public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.fromSupplier(() -> getTokenSync(request));
      }

      @Override
      public AccessToken getTokenSync(TokenRequestContext request) {
        tokenScopes.add(String.join(" ", request.getScopes()));
        return new AccessToken(token, OffsetDateTime.now().plusHours(1));
      }
    };
  }

  /** The certificate the fake presents (self-signed, for {@code localhost} and 127.0.0.1). */
  public X509Certificate certificate() {
    return SelfSignedCertificate.get().certificate();
  }

  /** Trust managers trusting the fake's certificate only. */
  public TrustManagerFactory trustManagers() {
    return SelfSignedCertificate.get().trustManagers();
  }

  /** A client context trusting the fake's certificate only (e.g. for the JDK's HTTP client). */
  public SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers().getTrustManagers(), null);
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a client context for the fake", e);
    }
  }

  /**
   * The SDK's default HTTP client (azure-core-http-netty) trusting the fake's certificate only; for
   * {@code SecretClientBuilder.httpClient(...)}.
   */
  public HttpClient httpClient() {
    TrustManagerFactory trust = trustManagers();
    SslProvider.GenericSslContextSpec<io.netty.handler.ssl.SslContextBuilder> tls =
        Http11SslContextSpec.forClient().configure(builder -> builder.trustManager(trust));
    reactor.netty.http.client.HttpClient netty =
        reactor.netty.http.client.HttpClient.create().secure(spec -> spec.sslContext(tls));
    return new NettyAsyncHttpClientBuilder(netty).build();
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization == null || !authorization.equals("Bearer " + token)) {
        exchange
            .getResponseHeaders()
            .add(
                "WWW-Authenticate",
                "Bearer authorization=\"https://login.microsoftonline.com/"
                    + TENANT
                    + "\", resource=\"https://vault.azure.net\"");
        send(exchange, 401, error("Unauthorized", "AKV10000: Request is missing a Bearer token."));
        return;
      }
      if (denied) {
        send(
            exchange,
            403,
            error(
                "Forbidden",
                "Caller is not authorized to perform action on resource. Action:"
                    + " 'Microsoft.KeyVault/vaults/secrets/getSecret/action'"));
        return;
      }
      if (!exchange.getRequestMethod().equals("GET")) {
        send(exchange, 405, error("BadParameter", "The fake serves GET only."));
        return;
      }
      String[] path = exchange.getRequestURI().getPath().split("/");
      // "", "secrets", name[, version]
      if (path.length < 3 || path.length > 4 || !path[1].equals("secrets")) {
        send(exchange, 400, error("BadParameter", "Unknown path."));
        return;
      }
      String name = path[2];
      String version = path.length == 4 ? path[3] : "";
      Version found = find(name, version);
      if (found == null) {
        send(
            exchange,
            404,
            error(
                "SecretNotFound",
                "A secret with (name/id) "
                    + name
                    + (version.isEmpty() ? "" : "/" + version)
                    + " was not found in this key vault. If you recently deleted this secret you"
                    + " may be able to recover it using the correct recovery command. For help"
                    + " resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182"));
        return;
      }
      secretReads.incrementAndGet();
      send(exchange, 200, bundle(name, found));
    }
  }

  private Version find(String name, String version) {
    List<Version> versions = secrets.get(name);
    if (versions == null || versions.isEmpty()) {
      return null;
    }
    if (version.isEmpty()) {
      return versions.get(versions.size() - 1);
    }
    for (Version v : new ArrayList<>(versions)) {
      if (v.id().equals(version)) {
        return v;
      }
    }
    return null;
  }

  private String bundle(String name, Version v) {
    long created = v.created().toEpochSecond();
    return "{\"value\":"
        + quoted(v.value())
        + ",\"id\":"
        + quoted(vaultUrl() + "/secrets/" + name + "/" + v.id())
        + ",\"attributes\":{\"enabled\":true,\"created\":"
        + created
        + ",\"updated\":"
        + created
        + ",\"recoveryLevel\":\"Recoverable+Purgeable\",\"recoverableDays\":90},\"tags\":{}}";
  }

  private static String error(String code, String message) {
    return "{\"error\":{\"code\":" + quoted(code) + ",\"message\":" + quoted(message) + "}}";
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
    exchange.getResponseHeaders().add("x-ms-keyvault-service-version", "1.9.0.0");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** A JSON string literal. */
  static String quoted(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
