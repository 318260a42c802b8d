package io.iomt.service.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An iotconnector's {@code properties}: {@code ingestionEndpointConfiguration} (the Event Hubs
 * source, all three fields or none), {@code deviceMapping.content} (a device mapping) and the
 * extension {@code iomt}. Stateless.
 */
final class IotConnectorFields {
  private static final List<String> ENDPOINT =
      List.of("eventHubName", "consumerGroup", "fullyQualifiedEventHubNamespace");

  private IotConnectorFields() {}

  static void properties(
      byte[] body,
      JsonNode request,
      ObjectNode properties,
      ObjectNode out,
      Optional<MappingCompanion> fhirMapping,
      Set<String> storedSecrets,
      BodyReader r) {
    ResourceValidator.ignored(
        properties,
        "properties",
        Set.of("provisioningState"),
        List.of("ingestionEndpointConfiguration", "deviceMapping", IomtExtension.NAME),
        r.problems(),
        ResourceType.IOT_CONNECTOR);
    boolean eventHub = endpoint(properties, out, r);
    ObjectNode mapping = r.object(properties, "properties", "deviceMapping", false);
    if (mapping != null) {
      ResourceValidator.ignored(
          mapping,
          "properties.deviceMapping",
          Set.of(),
          List.of("content"),
          r.problems(),
          ResourceType.IOT_CONNECTOR);
      ObjectNode content = r.object(mapping, "properties.deviceMapping", "content", false);
      ObjectNode m = out.putObject("deviceMapping");
      if (content != null) {
        MappingProblems.check(
            MappingProblems.Kind.DEVICE,
            body,
            Contents.positions(body),
            Contents.pointer(request, "properties", "deviceMapping", "content"),
            "properties.deviceMapping.content",
            fhirMapping,
            r.problems());
        m.set("content", content.deepCopy());
      }
    }
    JsonNode iomt = BodyReader.get(properties, IomtExtension.NAME);
    if (iomt != null && !iomt.isObject()) {
      r.object(properties, "properties", IomtExtension.NAME, false);
      iomt = null;
    }
    ObjectNode extension = IomtExtension.iotConnector(iomt, eventHub, storedSecrets, r);
    if (iomt != null) {
      out.set(IomtExtension.NAME, extension);
    }
  }

  /** Copies the Event Hubs endpoint; whether there is one. */
  private static boolean endpoint(ObjectNode properties, ObjectNode out, BodyReader r) {
    String at = "properties.ingestionEndpointConfiguration";
    ObjectNode iec = r.object(properties, "properties", "ingestionEndpointConfiguration", false);
    if (iec == null || ENDPOINT.stream().noneMatch(f -> BodyReader.has(iec, f))) {
      return false;
    }
    ResourceValidator.ignored(
        iec, at, Set.of(), ENDPOINT, r.problems(), ResourceType.IOT_CONNECTOR);
    ObjectNode e = out.putObject("ingestionEndpointConfiguration");
    for (String f : ENDPOINT) {
      if (!BodyReader.has(iec, f)) {
        r.problems()
            .invalid(
                at + "." + f,
                "The property '"
                    + at
                    + "."
                    + f
                    + "' is required: an ingestion endpoint has eventHubName, consumerGroup and"
                    + " fullyQualifiedEventHubNamespace, or none of them.");
        continue;
      }
      String v = r.text(iec, at, f, true);
      if (v != null) {
        e.put(f, v);
      }
    }
    String ns = e.path("fullyQualifiedEventHubNamespace").asText(null);
    if (ns != null && !ResourceValidator.isHostName(ns)) {
      r.problems()
          .invalid(
              at + ".fullyQualifiedEventHubNamespace",
              "'"
                  + ns
                  + "' is not a host name like <namespace>.servicebus.windows.net (no scheme, no"
                  + " path).");
    }
    String hub = e.path("eventHubName").asText(null);
    if (hub != null && !hub.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,255}")) {
      r.problems()
          .invalid(
              at + ".eventHubName",
              "'"
                  + hub
                  + "' is not an event hub name (1-256 letters, digits, '.', '_' and '-',"
                  + " starting with a letter or digit).");
    }
    return true;
  }
}
