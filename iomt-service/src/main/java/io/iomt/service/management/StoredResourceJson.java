package io.iomt.service.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link StoredResource} as JSON, the way the resource store keeps it: {@code {"id", "etag",
 * "body", "secrets": {pointer: value}, "operation": {"id", "status", "kind", "startTime",
 * "endTime", "error": {"code", "message", "target", "details"}}}}, instants as ISO-8601 strings.
 * The output holds the secrets: it is for the store's topic only, never for a log or a response.
 * Stateless and thread-safe.
 */
final class StoredResourceJson {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private StoredResourceJson() {}

  static ObjectNode write(StoredResource r) {
    ObjectNode n = NODES.objectNode();
    n.put("id", r.id().toString());
    n.put("etag", r.etag());
    n.set("body", r.body());
    ObjectNode secrets = n.putObject("secrets");
    r.secrets().forEach(secrets::put);
    if (r.operation() != null) {
      n.set("operation", write(r.operation()));
    }
    return n;
  }

  /**
   * @throws IllegalArgumentException when the JSON is not a stored resource
   */
  static StoredResource read(JsonNode n) {
    ResourceId id =
        ResourceId.parse(text(n, "id"))
            .orElseThrow(() -> new IllegalArgumentException("not a resource id: " + n.get("id")));
    JsonNode body = n.get("body");
    if (body == null || !body.isObject()) {
      throw new IllegalArgumentException("the resource " + id + " has no body");
    }
    Map<String, String> secrets = new LinkedHashMap<>();
    n.path("secrets").properties().forEach(e -> secrets.put(e.getKey(), e.getValue().asText()));
    JsonNode op = n.get("operation");
    return new StoredResource(
        id,
        text(n, "etag"),
        (ObjectNode) body,
        secrets,
        op == null || op.isNull() ? null : readOperation(op));
  }

  private static ObjectNode write(StoredResource.Operation o) {
    ObjectNode n = NODES.objectNode();
    n.put("id", o.id());
    n.put("status", o.status());
    n.put("kind", o.kind());
    n.put("startTime", instant(o.startTime()));
    n.put("endTime", instant(o.endTime()));
    if (o.error() != null) {
      n.set("error", write(o.error()));
    }
    return n;
  }

  private static StoredResource.Operation readOperation(JsonNode n) {
    JsonNode error = n.get("error");
    return new StoredResource.Operation(
        text(n, "id"),
        text(n, "status"),
        text(n, "kind"),
        instant(text(n, "startTime")),
        instant(text(n, "endTime")),
        error == null || error.isNull() ? null : readError(error));
  }

  /** ARM's error object; the API answers with it and the store keeps it so. */
  static ObjectNode write(ArmError e) {
    ObjectNode n = NODES.objectNode();
    n.put("code", e.code());
    n.put("message", e.message());
    if (e.target() != null) {
      n.put("target", e.target());
    }
    ArrayNode details = n.putArray("details");
    e.details().forEach(d -> details.add(write(d)));
    return n;
  }

  static ArmError readError(JsonNode n) {
    List<ArmError> details = new ArrayList<>();
    n.path("details").forEach(d -> details.add(readError(d)));
    return new ArmError(text(n, "code"), text(n, "message"), text(n, "target"), details);
  }

  /** The text of a field; null when it is missing or JSON null. */
  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String instant(Instant i) {
    return i == null ? null : i.toString();
  }

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }
}
