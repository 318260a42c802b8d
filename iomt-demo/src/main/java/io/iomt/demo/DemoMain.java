package io.iomt.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.bridge.SLF4JBridgeHandler;
import org.springframework.core.NestedRuntimeException;

/**
 * {@code java -jar iomt-demo.jar [--data-dir DIR] [--stream FILE] [--keep-running]}: runs the
 * {@link Demo} and prints what FHIR holds afterwards, ending with {@code demo: <N> messages, <M>
 * measurements, <K> observations in FHIR at <url>}. Exit code 0 when FHIR holds everything, 1 on
 * failure, 2 on a usage error. Logs of the servers go to {@code <data-dir>/demo.log}.
 */
public final class DemoMain {
  static final String USAGE =
      """
      usage: java -jar iomt-demo/target/iomt-demo.jar [--data-dir DIR] [--stream FILE] [--keep-running]
        --data-dir DIR   where the FHIR database, the broker's data, the mappings and demo.log go
                         (default ./data/demo; a second run on it finds the first run's data)
        --stream FILE    device messages to replay, one JSON message per line
                         (default: the bundled stream, 16 devices over a simulated hour)
        --keep-running   keep the FHIR server and the service running after the summary, until Ctrl-C
      """;

  /** Held until the JVM exits (a lock that is garbage-collected is released). */
  private static FileLock dataDirLock;

  private DemoMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, System.console() != null));
  }

  /**
   * Runs the demo; the demo's lines go to {@code out}, failures and usage errors to {@code err}.
   */
  static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
    Map<String, String> options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("demo: " + e.getMessage());
      err.print(USAGE);
      return 2;
    }
    if (options.containsKey("--help")) {
      out.print(USAGE);
      return 0;
    }
    Path dataDir = Path.of(options.getOrDefault("--data-dir", "data/demo")).toAbsolutePath();
    try {
      lock(dataDir);
    } catch (IllegalStateException e) {
      err.println("demo: FAILED: " + e.getMessage());
      return 1;
    }
    quietLogging(dataDir.resolve("demo.log"));
    if (!Boolean.getBoolean("iomt.demo.c2")) {
      QuickJit.apply();
    }
    Demo demo;
    try {
      DemoStream stream =
          options.containsKey("--stream")
              ? DemoStream.read(Path.of(options.get("--stream")))
              : DemoStream.bundled();
      demo = new Demo(new Demo.Options(dataDir, stream, Duration.ofSeconds(60)), out, terminal);
    } catch (RuntimeException e) {
      err.println("demo: FAILED: " + e.getMessage());
      return 1;
    }
    Thread onCtrlC = new Thread(demo::close, "iomt-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    try {
      Demo.Result result = demo.run();
      if (options.containsKey("--keep-running")) {
        out.println("demo: serving until Ctrl-C; FHIR at " + result.fhirUrl());
      }
      Summary.print(result, out);
      if (options.containsKey("--keep-running")) {
        new CountDownLatch(1).await();
      }
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("demo: interrupted");
      return 1;
    } catch (RuntimeException e) {
      err.println("demo: FAILED: " + message(e));
      err.println("demo: the servers' log is " + dataDir.resolve("demo.log"));
      return 1;
    } finally {
      try {
        demo.close();
      } catch (RuntimeException e) {
        err.println("demo: shutting down failed: " + message(e));
      }
      try {
        Runtime.getRuntime().removeShutdownHook(onCtrlC);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook runs (or ran) anyway.
      }
    }
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      int equals = arg.indexOf('=');
      if (equals > 0) {
        value = arg.substring(equals + 1);
        arg = arg.substring(0, equals);
      }
      switch (arg) {
        case "--data-dir", "--stream" -> {
          if (value == null) {
            if (i + 1 == args.length) {
              throw new IllegalArgumentException(arg + " needs a value");
            }
            value = args[++i];
          }
          options.put(arg, value);
        }
        case "--keep-running", "--help", "-h" -> {
          if (value != null) {
            throw new IllegalArgumentException(arg + " takes no value");
          }
          options.put(arg.equals("-h") ? "--help" : arg, "");
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    return options;
  }

  /**
   * Claims the data directory for this JVM's lifetime ({@code <data-dir>/demo.lock}), so that a
   * second demo on it stops at once with a clear message instead of deep in the broker's or the
   * database's start-up.
   */
  private static void lock(Path dataDir) {
    Path lockFile = dataDir.resolve("demo.lock");
    try {
      Files.createDirectories(dataDir);
      FileChannel channel =
          FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      dataDirLock = channel.tryLock();
      if (dataDirLock == null) {
        channel.close();
        throw new IllegalStateException(
            "another demo is running on " + dataDir + " (choose another one with --data-dir)");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot use the data directory " + dataDir + ": " + e, e);
    }
  }

  /**
   * Sends every log line of the servers (Spring, HAPI, Hibernate, Kafka, Tomcat) to one file, so
   * the console shows the demo's own lines. Must run before anything logs: logback reads {@code
   * logback.xml}, which names the file through {@code iomt.demo.log-file}, on first use. Spring
   * Boot's own logging set-up is turned off, since two applications share this JVM.
   */
  private static void quietLogging(Path logFile) {
    System.setProperty("iomt.demo.log-file", logFile.toString());
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }

  /**
   * What went wrong, in one line: for a service that failed to start, the root cause rather than
   * Spring's chain of beans that led to it.
   */
  static String message(Throwable e) {
    Throwable shown =
        e instanceof NestedRuntimeException nested ? nested.getMostSpecificCause() : e;
    return shown.getMessage() != null ? shown.getMessage() : shown.toString();
  }
}
