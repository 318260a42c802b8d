package io.iomt.testkit.azure.azurite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The npm package {@code azurite} installed in a cache directory shared by every build and JVM of
 * the machine: {@code $IOMT_TESTKIT_CACHE/azurite-<version>}, by default {@code
 * ~/.cache/iomt-testkit/azurite-<version>}. It is installed with {@code npm install --prefix} the
 * first time and reused afterwards; a file lock ({@code azurite-<version>.lock} next to it) keeps
 * parallel JVMs from installing at once, and a marker file written last tells a complete install
 * from one a killed JVM left half done (which is removed and redone). Thread-safe.
 */
final class AzuriteInstallation {

  /** The version that runs on Node 20 (COMPONENTS.md). */
  static final String VERSION = "3.35.0";

  private static final String MARKER = ".iomt-installed";
  private static final long INSTALL_TIMEOUT_MINUTES = 10;

  private final Path directory;

  private AzuriteInstallation(Path directory) {
    this.directory = directory;
  }

  /** The Blob service's entry point, run with {@code node}. */
  Path blobMain() {
    return directory.resolve("node_modules/azurite/dist/src/blob/main.js");
  }

  Path directory() {
    return directory;
  }

  /**
   * The default cache directory: {@code $IOMT_TESTKIT_CACHE}, else {@code ~/.cache/iomt-testkit}.
   */
  static Path defaultCache() {
    String configured = System.getenv("IOMT_TESTKIT_CACHE");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "iomt-testkit");
  }

  /**
   * The installation in {@code cache}, installed now if it is missing or incomplete.
   *
   * @throws IllegalStateException if node or npm is missing, or npm fails (with its output)
   */
  static synchronized AzuriteInstallation ensure(Path cache) {
    Path directory = cache.resolve("azurite-" + VERSION);
    AzuriteInstallation installation = new AzuriteInstallation(directory);
    if (installation.complete()) {
      return installation;
    }
    try {
      Files.createDirectories(cache);
      try (FileChannel channel =
          FileChannel.open(
              cache.resolve("azurite-" + VERSION + ".lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE)) {
        FileLock lock = channel.lock();
        try {
          if (!installation.complete()) {
            installation.install();
          }
        } finally {
          lock.release();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install azurite into " + directory, e);
    }
    return installation;
  }

  private boolean complete() {
    return Files.isRegularFile(directory.resolve(MARKER)) && Files.isRegularFile(blobMain());
  }

  private void install() throws IOException {
    requireTool("node");
    requireTool("npm");
    deleteRecursively(directory);
    Files.createDirectories(directory);
    Path log = Files.createTempFile("azurite-npm-install", ".log");
    try {
      List<String> command =
          List.of(
              "npm",
              "install",
              "--prefix",
              directory.toString(),
              "--no-audit",
              "--no-fund",
              "--loglevel=error",
              "azurite@" + VERSION);
      Process npm =
          new ProcessBuilder(command)
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean finished;
      try {
        finished = npm.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        npm.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while installing azurite", e);
      }
      if (!finished) {
        npm.destroyForcibly();
      }
      if (!finished || npm.exitValue() != 0 || !Files.isRegularFile(blobMain())) {
        throw new IllegalStateException(
            "`"
                + String.join(" ", command)
                + "` failed"
                + (finished
                    ? " (exit " + npm.exitValue() + ")"
                    : " (no end after " + INSTALL_TIMEOUT_MINUTES + " min)")
                + ": check that the npm registry is reachable (`npm config get registry`). npm"
                + " said:\n"
                + tail(log));
      }
      Files.writeString(directory.resolve(MARKER), VERSION + "\n", StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /**
   * Fails with what to install when {@code tool} cannot be run.
   *
   * @throws IllegalStateException if it cannot be run
   */
  static void requireTool(String tool) {
    try {
      Process p =
          new ProcessBuilder(tool, "--version")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("`" + tool + " --version` did not end within 60 s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("`" + tool + " --version` exited " + p.exitValue());
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "Azurite needs Node.js 20 (or newer) and npm on the PATH, and `"
              + tool
              + "` cannot be run ("
              + e.getMessage()
              + "): install them, e.g. `apt-get install -y nodejs npm` on Debian 12",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while looking for " + tool, e);
    }
  }

  /** The last 40 lines of a log file. */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder()).forEach(all::add);
    }
    for (Path p : all) {
      Files.deleteIfExists(p);
    }
  }
}
