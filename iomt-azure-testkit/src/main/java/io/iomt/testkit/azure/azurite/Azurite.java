package io.iomt.testkit.azure.azurite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Azurite Blob service (npm {@code azurite} {@value AzuriteInstallation#VERSION}), as a
 * child process on a free loopback port with in-memory storage: {@code azurite-blob --blobHost
 * 127.0.0.1 --blobPort <port> --inMemoryPersistence --silent --skipApiVersionCheck --loose}. Use
 * {@link #connectionString()} (or {@link #blobEndpoint()} with the well-known development account
 * {@value #ACCOUNT_NAME} and {@link #ACCOUNT_KEY}) with {@code azure-storage-blob}.
 *
 * <p><b>Installation.</b> The first start on a machine installs the package with {@code npm
 * install} into {@code ~/.cache/iomt-testkit/azurite-}{@value AzuriteInstallation#VERSION} (or
 * under {@code $IOMT_TESTKIT_CACHE}): about a minute, once; parallel JVMs wait for one another
 * through a lock file. It needs Node.js 20+ and npm on the PATH and the npm registry reachable; if
 * one is missing, starting fails saying what to install.
 *
 * <p><b>Lifecycle.</b> {@link #start()} returns once the service answers HTTP (about 2 s). {@link
 * #close()} kills the process and any children with SIGKILL (with in-memory persistence Azurite
 * ignores SIGTERM) and waits for them to end; all data is gone. A JVM shutdown hook does the same
 * for instances still running when the JVM exits. {@link #shared()} is one instance per JVM that
 * tests share and never close (the hook stops it): use unique container names per test.
 *
 * <p><b>Thread-safety.</b> All methods are thread-safe; {@link #close()} is idempotent.
 */
public final class Azurite implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Azurite.class);

  /** The development storage account every Azurite has. */
  public static final String ACCOUNT_NAME = "devstoreaccount1";

  /** The development account's well-known key (public; documented by Microsoft). */
  public static final String ACCOUNT_KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final int START_ATTEMPTS = 3;

  private static Azurite shared;

  private final Process process;
  private final int port;
  private final Path workDir;
  private final Thread shutdownHook;
  private boolean closed;

  private Azurite(Process process, int port, Path workDir) {
    this.process = process;
    this.port = port;
    this.workDir = workDir;
    this.shutdownHook = new Thread(this::kill, "azurite-" + port + "-shutdown");
  }

  /**
   * The instance shared by the tests of this JVM, started on first use; it runs until the JVM
   * exits.
   *
   * @throws IllegalStateException if it cannot be installed or started (saying why)
   */
  public static synchronized Azurite shared() {
    if (shared == null || !shared.process.isAlive()) {
      shared = start();
    }
    return shared;
  }

  /**
   * Starts a private instance, installing Azurite first if needed (into the default cache).
   *
   * @throws IllegalStateException if it cannot be installed or started (saying why)
   */
  public static Azurite start() {
    return start(AzuriteInstallation.defaultCache());
  }

  /**
   * Starts a private instance with Azurite installed under {@code cache}.
   *
   * @throws IllegalStateException if it cannot be installed or started (saying why)
   */
  public static Azurite start(Path cache) {
    AzuriteInstallation installation = AzuriteInstallation.ensure(cache);
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      try {
        return launch(installation, freePort());
      } catch (PortTakenException e) {
        // Another process took the free port between our probe and Azurite's bind: try another.
        last = new IllegalStateException(e.getMessage(), e);
      }
    }
    throw last;
  }

  /** {@code http://127.0.0.1:<port>/devstoreaccount1}: the account's Blob endpoint. */
  public String blobEndpoint() {
    return "http://127.0.0.1:" + port + "/" + ACCOUNT_NAME;
  }

  /** The connection string of the development account on this instance. */
  public String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName="
        + ACCOUNT_NAME
        + ";AccountKey="
        + ACCOUNT_KEY
        + ";BlobEndpoint="
        + blobEndpoint()
        + ";";
  }

  public int port() {
    return port;
  }

  /** The Azurite process (its children, if any, are killed with it). */
  public ProcessHandle process() {
    return process.toHandle();
  }

  /** Kills the process tree and waits for it to end; all data is lost. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is exiting: the hook runs kill() itself.
    }
    kill();
  }

  private void kill() {
    List<ProcessHandle> tree =
        java.util.stream.Stream.concat(
                process.toHandle().descendants(), java.util.stream.Stream.of(process.toHandle()))
            .toList();
    tree.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : tree) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        LOG.warn("Azurite process {} did not end after SIGKILL: {}", p.pid(), e.toString());
      }
    }
    try {
      AzuriteInstallation.deleteRecursively(workDir);
    } catch (IOException e) {
      LOG.debug("could not delete {}: {}", workDir, e.toString());
    }
  }

  private static Azurite launch(AzuriteInstallation installation, int port) {
    Path workDir;
    try {
      workDir = Files.createTempDirectory("azurite-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Its working directory (Azurite takes no --location with in-memory persistence) and log.
    Path log = workDir.resolve("azurite.log");
    List<String> command =
        List.of(
            "node",
            installation.blobMain().toString(),
            "--blobHost",
            "127.0.0.1",
            "--blobPort",
            String.valueOf(port),
            "--inMemoryPersistence",
            "--silent",
            "--skipApiVersionCheck",
            "--loose");
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      AzuriteInstallation.requireTool("node");
      throw new IllegalStateException("cannot start `" + String.join(" ", command) + "`", e);
    }
    Azurite azurite = new Azurite(process, port, workDir);
    Runtime.getRuntime().addShutdownHook(azurite.shutdownHook);
    long started = System.nanoTime();
    try {
      awaitReady(azurite, log);
    } catch (RuntimeException e) {
      azurite.close();
      throw e;
    }
    LOG.info(
        "Azurite {} Blob service at {} ready after {} ms",
        AzuriteInstallation.VERSION,
        azurite.blobEndpoint(),
        (System.nanoTime() - started) / 1_000_000);
    return azurite;
  }

  /** Waits until the service answers an HTTP request (any status: it is listening and serving). */
  private static void awaitReady(Azurite azurite, Path log) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create(azurite.blobEndpoint() + "?comp=list"))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      if (!azurite.process.isAlive()) {
        String output = AzuriteInstallation.tail(log);
        String message =
            "Azurite exited with "
                + azurite.process.exitValue()
                + " before answering on port "
                + azurite.port
                + ":\n"
                + output;
        if (output.contains("EADDRINUSE")) {
          throw new PortTakenException(message);
        }
        throw new IllegalStateException(message);
      }
      try {
        http.send(probe, HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Azurite", e);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Azurite did not answer on port "
                + azurite.port
                + " within "
                + READY_TIMEOUT.toSeconds()
                + " s:\n"
                + AzuriteInstallation.tail(log));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Azurite", e);
      }
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  @Override
  public String toString() {
    return "Azurite[" + blobEndpoint() + ", pid=" + process.pid() + "]";
  }

  /** Azurite could not bind its port. */
  private static final class PortTakenException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PortTakenException(String message) {
      super(message);
    }
  }
}
