package io.iomt.demo;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Keeps HotSpot's optimizing compiler (C2) out of the demo, as {@code -XX:TieredStopAtLevel=1}
 * would, but from inside the JVM, since {@code java -jar} takes no JVM options from the jar: a
 * compiler directive that excludes every method from C2, added through the {@code
 * DiagnosticCommand} MBean (what {@code jcmd <pid> Compiler.directives_add} does).
 *
 * <p>The demo is almost all code that runs once (HAPI's and Spring's start-up, first requests): C2
 * spent over a minute of CPU on it, on a machine with two cores, for little gain; C1 compiles the
 * same methods in a fraction of the time. A JVM without the MBean (not HotSpot) runs as it is.
 */
final class QuickJit {
  private QuickJit() {}

  /** Returns whether the directive was added. */
  static boolean apply() {
    Path directives = null;
    try {
      directives = Files.createTempFile("iomt-demo-jit", ".json");
      Files.writeString(
          directives, "[{ match: \"*.*\", c2: { Exclude: true } }]", StandardCharsets.UTF_8);
      Object answer =
          ManagementFactory.getPlatformMBeanServer()
              .invoke(
                  new ObjectName("com.sun.management:type=DiagnosticCommand"),
                  "compilerDirectivesAdd",
                  new Object[] {new String[] {directives.toString()}},
                  new String[] {String[].class.getName()});
      return String.valueOf(answer).contains("1 compiler directives added");
    } catch (IOException | JMException | RuntimeException e) {
      return false;
    } finally {
      if (directives != null) {
        try {
          Files.deleteIfExists(directives);
        } catch (IOException e) {
          // A temporary file left behind.
        }
      }
    }
  }
}
