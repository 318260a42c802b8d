package io.iomt.testkit.azure.azurite;

import io.iomt.testkit.NpmPackage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The npm package {@code azurite} installed in the test kit's shared npm cache ({@link
 * NpmPackage}): {@code $IOMT_TESTKIT_CACHE/azurite-<version>}, by default {@code
 * ~/.cache/iomt-testkit/azurite-<version>}, installed once and reused by every build and JVM of the
 * machine. Thread-safe.
 */
final class AzuriteInstallation {

  /** The version that runs on Node 20 (COMPONENTS.md). */
  static final String VERSION = "3.35.0";

  private static final String BLOB_MAIN = "node_modules/azurite/dist/src/blob/main.js";
  private static final String USER = "Azurite";

  private final NpmPackage installation;

  private AzuriteInstallation(NpmPackage installation) {
    this.installation = installation;
  }

  /** The Blob service's entry point, run with {@code node}. */
  Path blobMain() {
    return installation.resolve(BLOB_MAIN);
  }

  Path directory() {
    return installation.directory();
  }

  /**
   * The default cache directory: {@code $IOMT_TESTKIT_CACHE}, else {@code ~/.cache/iomt-testkit}.
   */
  static Path defaultCache() {
    return NpmPackage.defaultCache();
  }

  /**
   * The installation in {@code cache}, installed now if it is missing or incomplete.
   *
   * @throws IllegalStateException if node or npm is missing, or npm fails (with its output)
   */
  static AzuriteInstallation ensure(Path cache) {
    return new AzuriteInstallation(NpmPackage.ensure(cache, "azurite", VERSION, BLOB_MAIN, USER));
  }

  /**
   * Fails with what to install when {@code tool} cannot be run.
   *
   * @throws IllegalStateException if it cannot be run
   */
  static void requireTool(String tool) {
    NpmPackage.requireTool(tool, USER);
  }

  /** The last 40 lines of a log file. */
  static String tail(Path log) {
    return NpmPackage.tail(log);
  }

  static void deleteRecursively(Path path) throws IOException {
    NpmPackage.deleteRecursively(path);
  }
}
