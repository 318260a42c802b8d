package io.iomt.cli;

import io.iomt.core.error.TemplateProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/** Reading the files a command names, and printing mapping problems compiler-style. */
final class InputFiles {
  private InputFiles() {}

  static byte[] read(CommandLine cli, Path path, String option) {
    try {
      return Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new CommandLine.ParameterException(cli, option + ": no such file: " + path);
    } catch (IOException e) {
      throw new CommandLine.ParameterException(
          cli, option + ": cannot read " + path + ": " + e.getMessage());
    }
  }

  /** One line per problem: {@code file:line:column: message}. */
  static void printProblems(PrintWriter err, Path file, List<TemplateProblem> problems) {
    for (TemplateProblem p : problems) {
      err.println(file + ":" + p);
    }
  }
}
