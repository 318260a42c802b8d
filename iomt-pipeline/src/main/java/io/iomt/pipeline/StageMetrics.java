package io.iomt.pipeline;

import io.iomt.core.error.IomtException;

/**
 * Hooks the stages call for MedTech's metrics (incoming and normalized messages, measurements,
 * groups, FHIR resources saved, errors by name/stage/severity). The service binds them to
 * Micrometer; {@link #NONE} ignores them. Implementations are thread-safe.
 */
public interface StageMetrics {
  default void incoming() {}

  default void normalized(int measurements) {}

  default void groups(int groups) {}

  default void saved(int created, int updated, int unchanged) {}

  default void error(IomtException error) {}

  StageMetrics NONE = new StageMetrics() {};
}
