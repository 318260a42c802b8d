package io.iomt.cli;

import io.iomt.core.error.TemplateProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reading the files a command names, and printing mapping problems compiler-style. */
final class InputFiles {
  private InputFiles() {}

  /**
   * Reads a whole file; an unreadable file is a usage problem (exit 2) reported in one line,
   * without the usage text.
   */
  static byte[] read(Path path, String option) {
    try {
      return Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(option + ": no such file: " + path, e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          option + ": cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /** One line per problem: {@code file:line:column: message}. */
  static void printProblems(PrintWriter err, Path file, List<TemplateProblem> problems) {
    for (TemplateProblem p : problems) {
      err.println(file + ":" + p);
    }
  }
}
