package io.iomt.service.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The connectors of the configuration file, shown read-only through the API as resources of one
 * workspace ({@code iomt.management.configuration-workspace}, default {@code configuration}) under
 * {@code iomt.management.subscription-id} and {@code resource-group}: per connector an iotconnector
 * of its name, its fhirdestination {@code fhir} and a fhirservice of its name (URL without user
 * info; no secret). Writes there are refused ({@code ReadOnlyResource}). Immutable.
 */
public final class ConfigurationResources {
  /**
   * What the API shows of one configured connector.
   *
   * @param fhirUrl the FHIR base URL, already without user info
   * @param eventHub {@code namespace, hub, consumer group} of an Event Hubs source; null for a
   *     topic
   */
  public record Configured(
      String name,
      String sourceTopic,
      List<String> eventHub,
      int partitions,
      byte[] deviceMapping,
      byte[] fhirMapping,
      String fhirUrl,
      String authType,
      String identityResolution) {}

  private final ResourceId workspace;
  private final List<StoredResource> resources = new ArrayList<>();
  private final Set<String> names;

  public ConfigurationResources(
      String subscription,
      String resourceGroup,
      String workspaceName,
      List<Configured> connectors) {
    this.workspace = ResourceId.workspace(subscription, resourceGroup, workspaceName);
    this.names = connectors.stream().map(Configured::name).collect(Collectors.toUnmodifiableSet());
    if (connectors.isEmpty()) {
      return;
    }
    resources.add(resource(workspace, ManagementService.JSON.createObjectNode()));
    for (Configured c : connectors) {
      ResourceId connector = workspace.child(ResourceType.IOT_CONNECTOR, c.name());
      ResourceId service = workspace.child(ResourceType.FHIR_SERVICE, c.name());
      ObjectNode cp = ManagementService.JSON.createObjectNode();
      if (c.eventHub() != null) {
        ObjectNode in = cp.putObject("ingestionEndpointConfiguration");
        in.put("fullyQualifiedEventHubNamespace", c.eventHub().get(0));
        in.put("eventHubName", c.eventHub().get(1));
        in.put("consumerGroup", c.eventHub().get(2));
      }
      cp.putObject("deviceMapping").set("content", json(c.deviceMapping()));
      ObjectNode iomt = cp.putObject("iomt");
      iomt.put("readOnly", true);
      iomt.put("partitions", c.partitions());
      if (c.eventHub() == null) {
        iomt.putObject("source").put("type", "kafka").put("topic", c.sourceTopic());
        iomt.put("ingestPath", "/ingest/" + c.name());
      } else {
        iomt.putObject("source").put("type", "event-hubs");
      }
      resources.add(resource(connector, cp));
      ObjectNode dp = ManagementService.JSON.createObjectNode();
      dp.put("resourceIdentityResolutionType", c.identityResolution());
      dp.put("fhirServiceResourceId", service.toString());
      dp.putObject("fhirMapping").set("content", json(c.fhirMapping()));
      resources.add(resource(connector.child(ResourceType.FHIR_DESTINATION, "fhir"), dp));
      ObjectNode sp = ManagementService.JSON.createObjectNode();
      ObjectNode si = sp.putObject("iomt");
      si.put("readOnly", true);
      si.put("url", c.fhirUrl());
      si.putObject("auth").put("type", c.authType());
      StoredResource s = resource(service, sp);
      s.body().put("kind", "fhir-R4");
      resources.add(s);
    }
  }

  /** No configured connectors. */
  public static ConfigurationResources none() {
    return new ConfigurationResources("-", "-", "-", List.of());
  }

  /** Whether the id lies in the configuration's workspace (and so is read-only). */
  public boolean contains(ResourceId id) {
    return !names.isEmpty() && workspace.contains(id);
  }

  public Optional<StoredResource> get(ResourceId id) {
    return resources.stream().filter(r -> r.id().equalsKey(id)).findFirst();
  }

  public List<StoredResource> list() {
    return List.copyOf(resources);
  }

  /** The names of the configured connectors (which API connectors must not take). */
  public Set<String> connectorNames() {
    return names;
  }

  private static StoredResource resource(ResourceId id, ObjectNode properties) {
    ObjectNode b = ManagementService.JSON.createObjectNode();
    b.put("id", id.toString());
    b.put("name", id.name());
    b.put("type", id.type().armType());
    if (id.type() != ResourceType.FHIR_DESTINATION) {
      b.put("location", "local");
    }
    b.putObject("tags");
    properties.put("provisioningState", "Succeeded");
    b.set("properties", properties);
    return new StoredResource(id, etag(b), b, Map.of(), null);
  }

  private static JsonNode json(byte[] content) {
    try {
      return ManagementService.JSON.readTree(content);
    } catch (IOException e) {
      return ManagementService.JSON
          .getNodeFactory()
          .textNode(new String(content, StandardCharsets.UTF_8));
    }
  }

  private static String etag(JsonNode body) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(body.toString().getBytes(StandardCharsets.UTF_8));
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
