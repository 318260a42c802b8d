package io.iomt.service.management;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems of one request body, collected so that all are reported at once, and the warnings
 * that do not refuse it. Not thread-safe: one per validation.
 */
final class RequestProblems {
  static final String INVALID_REQUEST_CONTENT = "InvalidRequestContent";
  static final String INVALID_MAPPING = "InvalidMapping";
  static final String LOCATION_REQUIRED = "LocationRequired";
  static final String MAPPING_WARNING = "MappingWarning";
  static final String IGNORED_PROPERTY = "IgnoredProperty";

  private final List<ArmError> errors = new ArrayList<>();
  private final List<ArmError> warnings = new ArrayList<>();

  void error(String code, String target, String message) {
    errors.add(ArmError.of(code, message, target));
  }

  /** An {@code InvalidRequestContent} problem at {@code target}. */
  void invalid(String target, String message) {
    error(INVALID_REQUEST_CONTENT, target, message);
  }

  void warning(String code, String target, String message) {
    warnings.add(ArmError.of(code, message, target));
  }

  boolean hasErrors() {
    return !errors.isEmpty();
  }

  List<ArmError> warnings() {
    return List.copyOf(warnings);
  }

  /**
   * Throws the collected errors as one 400: with a single code across every problem (e.g. all
   * {@code InvalidMapping}) that code, else {@code InvalidRequestContent}; one detail per problem.
   */
  void throwIfAny() {
    if (errors.isEmpty()) {
      return;
    }
    String first = errors.get(0).code();
    boolean oneCode = errors.stream().allMatch(e -> e.code().equals(first));
    String code = oneCode ? first : INVALID_REQUEST_CONTENT;
    String message =
        errors.size() == 1
            ? errors.get(0).message()
            : (code.equals(INVALID_MAPPING) ? "The mapping has " : "The request content has ")
                + errors.size()
                + " problems; each is listed in details with its target.";
    throw new ArmException(
        400,
        new ArmError(code, message, errors.size() == 1 ? errors.get(0).target() : null, errors));
  }
}
