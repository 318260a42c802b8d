package io.iomt.service.management;

import java.util.Locale;
import java.util.Optional;

/** The resource types of the contract, with their ARM type names and path segments. */
public enum ResourceType {
  WORKSPACE("Microsoft.HealthcareApis/workspaces", "workspaces", null),
  FHIR_SERVICE("Microsoft.HealthcareApis/workspaces/fhirservices", "fhirservices", WORKSPACE),
  IOT_CONNECTOR("Microsoft.HealthcareApis/workspaces/iotconnectors", "iotconnectors", WORKSPACE),
  FHIR_DESTINATION(
      "Microsoft.HealthcareApis/workspaces/iotconnectors/fhirdestinations",
      "fhirdestinations",
      IOT_CONNECTOR);

  private final String armType;
  private final String segment;
  private final ResourceType parent;

  ResourceType(String armType, String segment, ResourceType parent) {
    this.armType = armType;
    this.segment = segment;
    this.parent = parent;
  }

  /** The {@code type} field of the resource, e.g. {@code Microsoft.HealthcareApis/workspaces}. */
  public String armType() {
    return armType;
  }

  /** The path segment before the resource's name, e.g. {@code iotconnectors}. */
  public String segment() {
    return segment;
  }

  /** The type of the resource's parent; null for a workspace. */
  public ResourceType parent() {
    return parent;
  }

  /** The type whose path segment is {@code segment} (case-insensitively, as ARM reads paths). */
  public static Optional<ResourceType> bySegment(String segment) {
    for (ResourceType t : values()) {
      if (t.segment.equals(segment.toLowerCase(Locale.ROOT))) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
