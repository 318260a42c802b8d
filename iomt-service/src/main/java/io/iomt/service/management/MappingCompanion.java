package io.iomt.service.management;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The mapping on the other side of the device/FHIR cross-check: for a fhirdestination being
 * validated, its iotconnector's device mapping; for an iotconnector, its fhirdestination's FHIR
 * mapping. Immutable; {@link #content()} must not be modified.
 *
 * @param id the resource that holds the mapping: an iotconnector (device mapping) or a
 *     fhirdestination (FHIR mapping)
 * @param content the mapping content as stored ({@code properties.deviceMapping.content} or {@code
 *     properties.fhirMapping.content})
 */
public record MappingCompanion(ResourceId id, JsonNode content) {
  public MappingCompanion {
    if (id.type() != ResourceType.IOT_CONNECTOR && id.type() != ResourceType.FHIR_DESTINATION) {
      throw new IllegalArgumentException(id.type() + " holds no mapping");
    }
  }

  /** The ARM path of the mapping content in the companion's body. */
  public String contentPath() {
    return id.type() == ResourceType.IOT_CONNECTOR
        ? "properties.deviceMapping.content"
        : "properties.fhirMapping.content";
  }

  /** The stored resource's mapping as a companion; empty when it has no mapping content. */
  public static Optional<MappingCompanion> of(StoredResource stored) {
    if (stored.id().type() != ResourceType.IOT_CONNECTOR
        && stored.id().type() != ResourceType.FHIR_DESTINATION) {
      return Optional.empty();
    }
    String mapping =
        stored.id().type() == ResourceType.IOT_CONNECTOR ? "deviceMapping" : "fhirMapping";
    JsonNode content = stored.body().path("properties").path(mapping).path("content");
    return content.isObject()
        ? Optional.of(new MappingCompanion(stored.id(), content))
        : Optional.empty();
  }
}
