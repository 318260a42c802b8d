package io.iomt.service;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iomt.testkit.NpmPackage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A browser flow written in JavaScript ({@code src/test/js/*.mjs}) run with {@code node} against
 * the system Chromium through Playwright's {@code playwright-core} (installed once into the test
 * kit's npm cache; it never downloads a browser). The script gets its inputs as environment
 * variables and prints its result as one JSON object on the last line of stdout; its progress goes
 * to {@code <screenshots>/<script>.log}. Not thread-safe: one flow at a time per instance.
 */
final class BrowserFlow {
  /** The playwright-core release the scripts are written against (runs Chromium 130 and newer). */
  static final String PLAYWRIGHT_VERSION = "1.65.1";

  /** Set to {@code skip} to skip the browser tests on a machine without Chromium. */
  static final String SKIP_PROPERTY = "iomt.browser-tests";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long FLOW_TIMEOUT_MINUTES = 15;

  private final Path chromium;
  private final Path playwright;

  private BrowserFlow(Path chromium, Path playwright) {
    this.chromium = chromium;
    this.playwright = playwright;
  }

  /**
   * The flow runner, after checking that Chromium is installed (else the test fails saying what to
   * install, or is skipped when {@code -Diomt.browser-tests=skip}) and installing playwright-core
   * if it is not in the cache yet.
   */
  static BrowserFlow prepare() {
    Path chromium = Path.of(System.getProperty("iomt.chromium", "/usr/bin/chromium"));
    if (!Files.isExecutable(chromium)) {
      String reason =
          "the console's browser test needs Chromium at "
              + chromium
              + " and it is missing: install it with `apt-get install -y chromium` (Debian; .ci/run"
              + " does this), or run with -D"
              + SKIP_PROPERTY
              + "=skip to skip the browser tests";
      assumeFalse("skip".equals(System.getProperty(SKIP_PROPERTY)), reason);
      throw new IllegalStateException(reason);
    }
    NpmPackage playwright =
        NpmPackage.ensure(
            NpmPackage.defaultCache(),
            "playwright-core",
            PLAYWRIGHT_VERSION,
            "node_modules/playwright-core/package.json",
            "The console's browser test");
    return new BrowserFlow(chromium, playwright.packageDirectory());
  }

  /** The result of one run: the script's exit code and its JSON result. */
  record Result(int exitCode, JsonNode json, String log) {
    boolean failed() {
      return exitCode != 0 || json.has("failure");
    }
  }

  /**
   * Runs {@code script} with these environment variables (plus {@code PLAYWRIGHT_CORE} and {@code
   * CHROMIUM}) and returns its result.
   */
  Result run(Path script, Path screenshots, Map<String, String> environment) {
    try {
      Files.createDirectories(screenshots);
      String name = script.getFileName().toString().replaceFirst("\\.m?js$", "");
      Path log = screenshots.resolve(name + ".log");
      Path out = screenshots.resolve(name + ".json");
      ProcessBuilder node =
          new ProcessBuilder(List.of("node", script.toAbsolutePath().toString()))
              .redirectError(log.toFile())
              .redirectOutput(out.toFile());
      node.environment().putAll(environment);
      node.environment().put("PLAYWRIGHT_CORE", playwright.toString());
      node.environment().put("CHROMIUM", chromium.toString());
      node.environment().put("CONSOLE_SCREENSHOTS", screenshots.toAbsolutePath().toString());
      Process process = node.start();
      if (!process.waitFor(FLOW_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException(
            script
                + " did not end within "
                + FLOW_TIMEOUT_MINUTES
                + " min; its log:\n"
                + tail(log));
      }
      List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
      String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
      if (!last.startsWith("{")) {
        throw new IllegalStateException(
            script
                + " exited "
                + process.exitValue()
                + " without a result; its log:\n"
                + tail(log));
      }
      return new Result(process.exitValue(), JSON.readTree(last), tail(log));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + script, e);
    }
  }

  private static String tail(Path log) {
    return NpmPackage.tail(log);
  }
}
