package io.iomt.testkit;

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
 * An npm package a test needs (Azurite, Playwright's {@code playwright-core}), installed in a cache
 * directory shared by every build and JVM of the machine: {@code
 * $IOMT_TESTKIT_CACHE/<name>-<version>}, by default {@code ~/.cache/iomt-testkit/<name>-<version>}.
 * It is installed with {@code npm install --prefix} the first time and reused afterwards; a file
 * lock ({@code <name>-<version>.lock} next to it) keeps parallel JVMs from installing at once, and
 * a marker file written last tells a complete install from one a killed JVM left half done (which
 * is removed and redone). Thread-safe; never downloads anything but the package and its
 * dependencies from the configured npm registry.
 */
public final class NpmPackage {
  private static final String MARKER = ".iomt-installed";
  private static final long INSTALL_TIMEOUT_MINUTES = 10;

  private final String name;
  private final String version;
  private final Path directory;
  private final String entry;

  private NpmPackage(String name, String version, Path directory, String entry) {
    this.name = name;
    this.version = version;
    this.directory = directory;
    this.entry = entry;
  }

  /** The installation directory ({@code npm install --prefix} of it). */
  public Path directory() {
    return directory;
  }

  /** The package's own directory, {@code node_modules/<name>} (what {@code require} loads). */
  public Path packageDirectory() {
    return directory.resolve("node_modules").resolve(name);
  }

  /** A file of the installation, relative to {@link #directory()}. */
  public Path resolve(String relative) {
    return directory.resolve(relative);
  }

  /**
   * The default cache directory: {@code $IOMT_TESTKIT_CACHE}, else {@code ~/.cache/iomt-testkit}.
   */
  public static Path defaultCache() {
    String configured = System.getenv("IOMT_TESTKIT_CACHE");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "iomt-testkit");
  }

  /**
   * The installation of {@code name@version} in {@code cache}, installed now if it is missing or
   * incomplete.
   *
   * @param entry a file relative to the installation directory that a complete install has (e.g.
   *     {@code node_modules/azurite/dist/src/blob/main.js})
   * @param user who needs it, for the error messages (e.g. "Azurite", "The browser tests")
   * @throws IllegalStateException if node or npm is missing, or npm fails (with its output)
   */
  public static synchronized NpmPackage ensure(
      Path cache, String name, String version, String entry, String user) {
    Path directory = cache.resolve(name + "-" + version);
    NpmPackage installation = new NpmPackage(name, version, directory, entry);
    if (installation.complete()) {
      return installation;
    }
    try {
      Files.createDirectories(cache);
      try (FileChannel channel =
          FileChannel.open(
              cache.resolve(name + "-" + version + ".lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE)) {
        FileLock lock = channel.lock();
        try {
          if (!installation.complete()) {
            installation.install(user);
          }
        } finally {
          lock.release();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install " + name + " into " + directory, e);
    }
    return installation;
  }

  private boolean complete() {
    return Files.isRegularFile(directory.resolve(MARKER))
        && Files.isRegularFile(directory.resolve(entry));
  }

  private void install(String user) throws IOException {
    requireTool("node", user);
    requireTool("npm", user);
    deleteRecursively(directory);
    Files.createDirectories(directory);
    Path log = Files.createTempFile(name + "-npm-install", ".log");
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
              name + "@" + version);
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
        throw new IllegalStateException("interrupted while installing " + name, e);
      }
      if (!finished) {
        npm.destroyForcibly();
      }
      if (!finished || npm.exitValue() != 0 || !Files.isRegularFile(directory.resolve(entry))) {
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
      Files.writeString(directory.resolve(MARKER), version + "\n", StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /**
   * Fails with what to install when {@code tool} (node or npm) cannot be run.
   *
   * @param user who needs it, for the message (e.g. "Azurite")
   * @throws IllegalStateException if it cannot be run
   */
  public static void requireTool(String tool, String user) {
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
          user
              + " needs Node.js 20 (or newer) and npm on the PATH, and `"
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
  public static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** Deletes a file or a directory tree; nothing when it does not exist. */
  public static void deleteRecursively(Path path) throws IOException {
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

  @Override
  public String toString() {
    return name + "@" + version + " in " + directory;
  }
}
