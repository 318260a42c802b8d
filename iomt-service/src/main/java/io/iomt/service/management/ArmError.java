package io.iomt.service.management;

import java.util.List;

/**
 * An error in Azure Resource Manager's shape: {@code {"code", "message", "target", "details":
 * [...]}}, the body of an error response being {@code {"error": <this>}}.
 *
 * @param code a stable identifier, e.g. {@code InvalidMapping}, {@code PreconditionFailed}
 * @param message what is wrong and how to fix it, for a person; never holds a secret
 * @param target where: a property path into the request body (e.g. {@code
 *     properties.deviceMapping.content.template[0].template.typeName}), or null
 * @param details the individual problems behind this one, e.g. one per mapping problem
 */
public record ArmError(String code, String message, String target, List<ArmError> details) {
  public ArmError {
    details = details == null ? List.of() : List.copyOf(details);
  }

  public static ArmError of(String code, String message) {
    return new ArmError(code, message, null, List.of());
  }

  public static ArmError of(String code, String message, String target) {
    return new ArmError(code, message, target, List.of());
  }
}
