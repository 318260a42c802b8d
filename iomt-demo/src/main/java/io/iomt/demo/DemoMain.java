package io.iomt.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.bridge.SLF4JBridgeHandler;
import org.springframework.core.NestedRuntimeException;

/**
 * {@code java -jar iomt-demo.jar [--data-dir DIR] [--stream FILE] [--keep-running] [--port N]}:
 * runs the {@link Demo} and prints what FHIR holds afterwards, ending with {@code demo: <N>
 * messages, <M> measurements, <K> observations in FHIR at <url>}. Exit code 0 when FHIR holds
 * everything, 1 on failure, 2 on a usage error. Logs of the servers go to {@code
 * <data-dir>/demo.log}.
 *
 * <p>With {@code --keep-running} the servers stay up after the summary, which is followed by what a
 * user needs to use them ({@link Access}); Ctrl-C or SIGTERM then stops both servers and ends the
 * JVM with exit code 0 (a stop the user asked for is not a failure: the shutdown hook, once the
 * servers are closed, ends the JVM with {@link Runtime#halt(int) halt(0)} instead of the signal's
 * 130/143).
 */
public final class DemoMain {
  static final String USAGE =
      """
      usage: java -jar iomt-demo/target/iomt-demo.jar [--data-dir DIR] [--stream FILE] [--keep-running] [--port N]
        --data-dir DIR   where the FHIR database, the broker's data, the mappings and demo.log go
                         (default ./data/demo; a second run on it finds the first run's data)
        --stream FILE    device messages to replay, one JSON message per line
                         (default: the bundled stream, 16 devices over a simulated hour)
        --keep-running   keep the FHIR server and the service running after the summary, until Ctrl-C,
                         and print the console's URL and key, a curl line and the Kafka address
        --port N         the service's port on 127.0.0.1 (default with --keep-running: 8080 if it is
                         free, else a free one; without: a free one)
      """;

  /** The service's port with {@code --keep-running}, when it is free. */
  static final int DEFAULT_PORT = 8080;

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
    boolean keepRunning = options.containsKey("--keep-running");
    int port = port(options, keepRunning, out);
    Demo demo;
    try {
      DemoStream stream =
          options.containsKey("--stream")
              ? DemoStream.read(Path.of(options.get("--stream")))
              : DemoStream.bundled();
      demo =
          new Demo(new Demo.Options(dataDir, stream, Duration.ofSeconds(60), port), out, terminal);
    } catch (RuntimeException e) {
      err.println("demo: FAILED: " + e.getMessage());
      return 1;
    }
    AtomicBoolean serving = new AtomicBoolean();
    Thread onCtrlC = new Thread(() -> stop(demo, serving.get(), out, err), "iomt-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    try {
      Demo.Result result = demo.run();
      Summary.print(result, out);
      if (keepRunning) {
        serving.set(true);
        demo.access().print(out, Instant.now());
        new CountDownLatch(1).await();
      } else {
        out.println(
            "demo: run it with --keep-running to open the console, fix and replay the dead letter,"
                + " and send your own data");
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

  /**
   * Stops the servers on Ctrl-C or SIGTERM. While the demo serves ({@code --keep-running} after its
   * summary) that is how the user ends it, so the JVM ends with 0 (1 if stopping failed); earlier,
   * the run was interrupted and the JVM ends with the signal's code.
   */
  private static void stop(Demo demo, boolean serving, PrintStream out, PrintStream err) {
    int code = 0;
    try {
      demo.close();
    } catch (RuntimeException e) {
      err.println("demo: shutting down failed: " + message(e));
      code = 1;
    }
    if (serving) {
      out.println("demo: stopped");
      out.flush();
      err.flush();
      Runtime.getRuntime().halt(code);
    }
  }

  /**
   * The service's port: {@code --port}, else with {@code --keep-running} {@value #DEFAULT_PORT}
   * when it is free, else 0 (a free one).
   */
  static int port(Map<String, String> options, boolean keepRunning, PrintStream out) {
    if (options.containsKey("--port")) {
      return Integer.parseInt(options.get("--port"));
    }
    if (!keepRunning) {
      return 0;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT));
      return DEFAULT_PORT;
    } catch (IOException taken) {
      out.println(
          "demo: port "
              + DEFAULT_PORT
              + " is taken; the service listens on a free port (choose one with --port N)");
      return 0;
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
        case "--data-dir", "--stream", "--port" -> {
          if (value == null) {
            if (i + 1 == args.length) {
              throw new IllegalArgumentException(arg + " needs a value");
            }
            value = args[++i];
          }
          if (arg.equals("--port") && !isPort(value)) {
            throw new IllegalArgumentException(
                "--port needs a port number (1-65535), not " + value);
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

  private static boolean isPort(String value) {
    try {
      int port = Integer.parseInt(value);
      return port >= 1 && port <= 65535;
    } catch (NumberFormatException e) {
      return false;
    }
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
