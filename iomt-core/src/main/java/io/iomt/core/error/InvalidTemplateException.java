package io.iomt.core.error;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A mapping that cannot be used: blocking until the mapping is fixed. Carries every problem found,
 * each with its line and column, so a user fixes them all in one pass.
 */
public final class InvalidTemplateException extends IomtException {
  private static final long serialVersionUID = 1L;

  private final transient List<TemplateProblem> problems;

  public InvalidTemplateException(List<TemplateProblem> problems) {
    super(summary(problems), ErrorStage.SETUP, null);
    this.problems = List.copyOf(problems);
  }

  /** All problems, errors first in document order, then warnings. Never empty. */
  public List<TemplateProblem> problems() {
    return problems;
  }

  @Override
  public boolean isBlocking() {
    return true;
  }

  private static String summary(List<TemplateProblem> problems) {
    long errors = problems.stream().filter(TemplateProblem::isError).count();
    return "The mapping has "
        + errors
        + (errors == 1 ? " error" : " errors")
        + ":\n"
        + problems.stream()
            .filter(TemplateProblem::isError)
            .map(TemplateProblem::toString)
            .collect(Collectors.joining("\n"));
  }
}
