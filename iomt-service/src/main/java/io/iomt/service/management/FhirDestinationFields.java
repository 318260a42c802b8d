package io.iomt.service.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A fhirdestination's {@code properties}, all required: {@code resourceIdentityResolutionType}
 * ({@code Create} or {@code Lookup}), {@code fhirServiceResourceId} (the ARM id of a fhirservices
 * resource, with or without its leading slash, kept as written) and {@code fhirMapping.content} (a
 * FHIR mapping, cross-checked with the iotconnector's device mapping). Stateless.
 */
final class FhirDestinationFields {
  private FhirDestinationFields() {}

  static void properties(
      byte[] body,
      JsonNode request,
      ObjectNode properties,
      ObjectNode out,
      Optional<MappingCompanion> deviceMapping,
      BodyReader r) {
    ResourceValidator.ignored(
        properties,
        "properties",
        Set.of("provisioningState"),
        List.of("resourceIdentityResolutionType", "fhirServiceResourceId", "fhirMapping"),
        r.problems(),
        ResourceType.FHIR_DESTINATION);
    String resolution =
        r.oneOf(
            properties,
            "properties",
            "resourceIdentityResolutionType",
            true,
            List.of("Create", "Lookup"));
    if (resolution != null) {
      out.put("resourceIdentityResolutionType", resolution);
    }
    String fhirService = r.text(properties, "properties", "fhirServiceResourceId", true);
    if (fhirService != null) {
      Optional<ResourceId> id = ResourceId.parse(fhirService);
      if (id.isEmpty() || id.get().type() != ResourceType.FHIR_SERVICE) {
        r.problems()
            .invalid(
                "properties.fhirServiceResourceId",
                "'"
                    + fhirService
                    + "' is not the id of a fhirservices resource, like"
                    + " /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.HealthcareApis"
                    + "/workspaces/<workspace>/fhirservices/<name>.");
      }
      out.put("fhirServiceResourceId", fhirService);
    }
    ObjectNode mapping = r.object(properties, "properties", "fhirMapping", true);
    if (mapping == null) {
      return;
    }
    ResourceValidator.ignored(
        mapping,
        "properties.fhirMapping",
        Set.of(),
        List.of("content"),
        r.problems(),
        ResourceType.FHIR_DESTINATION);
    ObjectNode content = r.object(mapping, "properties.fhirMapping", "content", true);
    if (content != null) {
      MappingProblems.check(
          MappingProblems.Kind.FHIR,
          body,
          Contents.positions(body),
          Contents.pointer(request, "properties", "fhirMapping", "content"),
          "properties.fhirMapping.content",
          deviceMapping,
          r.problems());
      out.putObject("fhirMapping").set("content", content.deepCopy());
    }
  }
}
