package io.iomt.fhir.auth;

import java.util.List;
import java.util.Objects;

/**
 * A value checked as a whole: either valid, or every problem found (never only the first).
 *
 * @param <T> the checked value
 */
public sealed interface Validated<T> {

  /** The problems; empty when valid. */
  List<SettingProblem> problems();

  /** A checked value. */
  record Valid<T>(T value) implements Validated<T> {
    public Valid {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public List<SettingProblem> problems() {
      return List.of();
    }
  }

  /** Every problem found, at least one. */
  record Invalid<T>(List<SettingProblem> problems) implements Validated<T> {
    public Invalid {
      problems = List.copyOf(problems);
      if (problems.isEmpty()) {
        throw new IllegalArgumentException("an invalid value has at least one problem");
      }
    }
  }
}
