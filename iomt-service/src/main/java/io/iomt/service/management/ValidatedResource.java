package io.iomt.service.management;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request body that {@link ResourceValidator} accepted, ready to be stored. Immutable once built:
 * {@link #body()} must not be modified (copy it with {@code deepCopy()} to add {@code id}, {@code
 * name}, {@code type}, {@code systemData} and {@code properties.provisioningState}).
 *
 * @param body the normalized ARM body: only the fields the contract defines for the type, in their
 *     canonical spelling and case, plus the extension {@code properties.iomt}; no read-only field
 *     and no write-only one
 * @param secrets the write-only values the request set, by JSON pointer into the body (see {@link
 *     WriteOnlyFields}); never to be logged
 * @param clearedSecrets the write-only fields the request set to {@code null}, to be removed
 * @param warnings what does not refuse the request but deserves a log line: mapping warnings (code
 *     {@code MappingWarning}) and accepted Azure properties this project does not apply (code
 *     {@code IgnoredProperty}); never holds a secret
 */
public record ValidatedResource(
    ObjectNode body,
    Map<String, String> secrets,
    Set<String> clearedSecrets,
    List<ArmError> warnings) {
  public ValidatedResource {
    secrets = Map.copyOf(secrets);
    clearedSecrets = Set.copyOf(clearedSecrets);
    warnings = List.copyOf(warnings);
  }

  /** Masks the secrets' values. */
  @Override
  public String toString() {
    return "ValidatedResource[body="
        + body
        + ", secrets="
        + secrets.keySet()
        + ", clearedSecrets="
        + clearedSecrets
        + ", warnings="
        + warnings
        + "]";
  }
}
