package io.iomt.service.management;

import java.util.regex.Pattern;

/**
 * The checks ARM makes before it reads a body: the names in the path and the {@code api-version}
 * query parameter. Each refusal is an {@link ArmException} with status 400 and ARM's code and
 * wording. Stateless and thread-safe.
 */
public final class ArmNames {
  /** The one api-version served: Microsoft.HealthcareApis' stable 2024-03-31. */
  public static final String API_VERSION = "2024-03-31";

  /**
   * Resource names, ARM's pattern: lowercase letters, digits and hyphens, not starting or ending
   * with a hyphen. The contract's schema also says 3-24 characters, but its pattern allows at most
   * 23 (a first and a last character around 1-21), and ARM applies both: so 3-23.
   */
  public static final Pattern NAME = Pattern.compile("^[a-z0-9][a-z0-9-]{1,21}[a-z0-9]$");

  private ArmNames() {}

  /**
   * Refuses a resource name that breaks ARM's rule.
   *
   * @throws ArmException 400 {@code InvalidResourceName}, with the name as target
   */
  public static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ArmException(
          400,
          ArmError.of(
              "InvalidResourceName",
              "The resource name '"
                  + name
                  + "' is invalid. It must be 3-23 characters of lowercase letters, digits and"
                  + " hyphens, beginning and ending with a letter or digit.",
              name));
    }
  }

  /**
   * Refuses an id any of whose names (workspace, iotconnector, ...) breaks ARM's rule; the first
   * such name is reported, as ARM does.
   */
  public static void checkNames(ResourceId id) {
    id.names().forEach(ArmNames::checkName);
  }

  /**
   * Refuses a missing or unsupported {@code api-version}.
   *
   * @param apiVersion the query parameter's value; null when absent
   * @throws ArmException 400 {@code MissingApiVersionParameter} or {@code
   *     InvalidApiVersionParameter}
   */
  public static void checkApiVersion(String apiVersion) {
    if (apiVersion == null || apiVersion.isBlank()) {
      throw new ArmException(
          400,
          ArmError.of(
              "MissingApiVersionParameter",
              "The api-version query parameter (?api-version=) is required for all requests."
                  + " The supported versions are '"
                  + API_VERSION
                  + "'.",
              "api-version"));
    }
    if (!apiVersion.equals(API_VERSION)) {
      throw new ArmException(
          400,
          ArmError.of(
              "InvalidApiVersionParameter",
              "The api-version '"
                  + apiVersion
                  + "' is invalid. The supported versions are '"
                  + API_VERSION
                  + "'.",
              "api-version"));
    }
  }
}
