package io.iomt.service;

import java.util.List;

/** The service's configuration has problems: all of them, so one restart can fix them all. */
public final class InvalidConfigurationException extends RuntimeException {
  private final List<String> problems;

  public InvalidConfigurationException(List<String> problems) {
    super(
        "Invalid configuration ("
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + "):\n  - "
            + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
