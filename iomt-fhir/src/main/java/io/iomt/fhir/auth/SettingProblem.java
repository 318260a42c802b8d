package io.iomt.fhir.auth;

import java.util.Objects;

/**
 * One problem of a configuration: the path of the setting as the user wrote it (a property such as
 * {@code iomt.connectors.icu.fhir.auth.client-id}, or a command-line option such as {@code
 * --client-id}) and what is wrong with it. The message never holds a secret's value.
 *
 * @param path where the setting is, never null
 * @param message what is wrong, never null
 */
public record SettingProblem(String path, String message) {
  public SettingProblem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /** {@code path: message}, the form the service and the CLI print. */
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
