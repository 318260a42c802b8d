package io.iomt.core.debug;

import io.iomt.core.error.InvalidTemplateException;
import io.iomt.core.error.TemplateProblem;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One mapping checked: the loaded mapping when it has no error, and every problem found (errors and
 * warnings, errors first, each at its 1-based line and column; 0 when unknown), the same list
 * {@code DeviceMapping.validate} or {@code FhirMapping.validate} gives. Immutable.
 *
 * @param <M> {@code DeviceMapping} or {@code FhirMapping}
 * @param mapping the loaded mapping; null when a problem is an error
 * @param problems every problem; never null
 */
public record MappingCheck<M>(M mapping, List<TemplateProblem> problems) {
  public MappingCheck {
    problems = List.copyOf(problems);
  }

  /** Whether the mapping loaded (warnings allowed). */
  public boolean valid() {
    return mapping != null;
  }

  /**
   * Loads a mapping once, keeping its problems either way: those of the {@link
   * InvalidTemplateException} when it does not load, its warnings when it does.
   */
  static <M> MappingCheck<M> load(
      byte[] json, Function<byte[], M> parse, Function<M, List<TemplateProblem>> warnings) {
    Objects.requireNonNull(json, "json");
    try {
      M mapping = parse.apply(json);
      return new MappingCheck<>(mapping, warnings.apply(mapping));
    } catch (InvalidTemplateException e) {
      return new MappingCheck<>(null, e.problems());
    }
  }
}
