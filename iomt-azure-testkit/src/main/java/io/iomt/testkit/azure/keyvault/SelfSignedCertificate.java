package io.iomt.testkit.azure.keyvault;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made once per JVM with the
 * running JDK's {@code keytool} (the JDK has no public API that signs a certificate, and
 * BouncyCastle is not on the test kit's class path). Immutable and thread-safe.
 */
final class SelfSignedCertificate {
  private static final char[] PASSWORD = "fake-key-vault".toCharArray();
  private static SelfSignedCertificate instance;

  private final KeyStore keyStore;
  private final X509Certificate certificate;

  private SelfSignedCertificate(KeyStore keyStore) throws GeneralSecurityException {
    this.keyStore = keyStore;
    this.certificate = (X509Certificate) keyStore.getCertificate("fake");
  }

  /** The JVM's one certificate, generated on first use (about a second: one keytool run). */
  static synchronized SelfSignedCertificate get() {
    if (instance == null) {
      instance = generate();
    }
    return instance;
  }

  X509Certificate certificate() {
    return certificate;
  }

  /** A server context presenting this certificate. */
  SSLContext serverContext() {
    try {
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(keyStore, PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the fake's TLS context", e);
    }
  }

  /** Trust managers that trust this certificate only. */
  TrustManagerFactory trustManagers() {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("fake", certificate);
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      return factory;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build trust for the fake's certificate", e);
    }
  }

  private static SelfSignedCertificate generate() {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("fake-key-vault");
      Path store = dir.resolve("fake.p12");
      Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
      Process process =
          new ProcessBuilder(
                  List.of(
                      keytool.toString(),
                      "-genkeypair",
                      "-alias",
                      "fake",
                      "-keyalg",
                      "EC",
                      "-groupname",
                      "secp256r1",
                      "-validity",
                      "2",
                      "-dname",
                      "CN=localhost",
                      "-ext",
                      "SAN=dns:localhost,ip:127.0.0.1",
                      "-storetype",
                      "PKCS12",
                      "-keystore",
                      store.toString(),
                      "-storepass",
                      new String(PASSWORD),
                      "-keypass",
                      new String(PASSWORD)))
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool could not make the fake's certificate: " + output);
      }
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        keyStore.load(in, PASSWORD);
      }
      return new SelfSignedCertificate(keyStore);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make the fake's certificate", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while making the fake's certificate", e);
    } finally {
      deleteQuietly(dir);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // a temporary directory left behind
    }
  }
}
