package io.iomt.core.error;

/**
 * One problem of a mapping file, at a 1-based line and column (0 when the position is unknown).
 *
 * @param severity whether the mapping is unusable ({@link Severity#ERROR}) or merely suspicious
 * @param line 1-based line of the offending token
 * @param column 1-based column of the offending token
 * @param message what is wrong and how to fix it
 */
public record TemplateProblem(Severity severity, int line, int column, String message) {

  /** Whether a problem makes the mapping unusable. */
  public enum Severity {
    ERROR,
    WARNING
  }

  public static TemplateProblem error(int line, int column, String message) {
    return new TemplateProblem(Severity.ERROR, line, column, message);
  }

  public static TemplateProblem warning(int line, int column, String message) {
    return new TemplateProblem(Severity.WARNING, line, column, message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** {@code line:column: message}, with a {@code warning: } prefix for warnings. */
  @Override
  public String toString() {
    return line + ":" + column + ": " + (isError() ? "" : "warning: ") + message;
  }
}
