package io.iomt.demo;

import java.io.PrintStream;

/**
 * One line of progress on the console: redrawn in place (carriage return) at most ten times a
 * second when the output is a terminal; otherwise printed as a plain line at every tenth of the
 * way, so redirected output and CI logs stay readable. Thread-safe.
 */
final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private final String label;
  private final long total;
  private long lastDrawn;
  private int lastTenth = -1;
  private String lastPrinted = "";
  private int lastLength;
  private boolean finished;

  ProgressBar(PrintStream out, boolean terminal, String label, long total) {
    this.out = out;
    this.terminal = terminal;
    this.label = label;
    this.total = Math.max(total, 1);
    this.lastDrawn = System.nanoTime() - REDRAW_NANOS;
  }

  /** Shows {@code done} of the total, with a detail such as {@code "120/2208 messages"}. */
  synchronized void update(long done, String detail) {
    if (finished) {
      return;
    }
    if (terminal) {
      long now = System.nanoTime();
      if (now - lastDrawn >= REDRAW_NANOS) {
        lastDrawn = now;
        redraw(done, detail);
      }
    } else {
      int tenth = (int) (Math.min(done, total) * 10 / total);
      if (tenth > lastTenth) {
        lastTenth = tenth;
        lastPrinted = line(done, detail);
        out.println(lastPrinted);
      }
    }
  }

  /** Shows the final state and ends the line; later updates are ignored. */
  synchronized void finish(long done, String detail) {
    if (finished) {
      return;
    }
    if (terminal) {
      redraw(done, detail);
      out.println();
    } else if (!line(done, detail).equals(lastPrinted)) {
      out.println(line(done, detail));
    }
    out.flush();
    finished = true;
  }

  private void redraw(long done, String detail) {
    String line = line(done, detail);
    out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
    out.flush();
    lastLength = line.length();
  }

  String line(long done, String detail) {
    long shown = Math.max(0, Math.min(done, total));
    int filled = (int) (shown * WIDTH / total);
    return String.format(
        "%-6s [%s%s] %3d%%  %s",
        label, "#".repeat(filled), "-".repeat(WIDTH - filled), shown * 100 / total, detail);
  }
}
