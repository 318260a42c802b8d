package io.iomt.core.template;

import io.iomt.core.error.TemplateProblem;
import io.iomt.core.template.LocatedJson.Position;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the problems of one mapping file while it is read. Not thread-safe: one per read. */
public final class Problems {
  private final List<TemplateProblem> problems = new ArrayList<>();

  public void error(Position at, String message) {
    problems.add(TemplateProblem.error(at.line(), at.column(), message));
  }

  public void warning(Position at, String message) {
    problems.add(TemplateProblem.warning(at.line(), at.column(), message));
  }

  public void add(TemplateProblem problem) {
    problems.add(problem);
  }

  public boolean hasErrors() {
    return problems.stream().anyMatch(TemplateProblem::isError);
  }

  /** Errors first, each group in document order. */
  public List<TemplateProblem> sorted() {
    return problems.stream()
        .sorted(
            Comparator.comparing((TemplateProblem p) -> !p.isError())
                .thenComparingInt(TemplateProblem::line)
                .thenComparingInt(TemplateProblem::column))
        .toList();
  }
}
