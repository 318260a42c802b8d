package io.iomt.service.management;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates the body of a PUT as the contract defines it for the resource's type, and turns it into
 * what the store keeps: the normalized ARM body and, apart, its write-only values. Read-only fields
 * in the request ({@code id}, {@code name}, {@code type}, {@code etag}, {@code systemData}, {@code
 * properties.provisioningState}, {@code identity.principalId}/{@code tenantId}) are ignored, as ARM
 * ignores them; properties of the Azure contract that this project does not apply (e.g. a FHIR
 * service's {@code corsConfiguration}) are accepted, not stored, and named in the warnings.
 * Property names are matched case-insensitively, as ARM reads them.
 *
 * <p>Every problem is collected before the request is refused: one {@link ArmException} (400, code
 * {@code InvalidMapping} when every problem is in a mapping, else {@code InvalidRequestContent}, or
 * the one code all problems share, e.g. {@code LocationRequired}) with one {@link ArmError} detail
 * per problem, whose {@code target} is the property's path in the body ({@code
 * properties.deviceMapping.content.template[0].template.typeName}). Mapping content is checked by
 * {@link MappingProblems}, with each message starting with the line and column in the request body.
 *
 * <p>Pure (no Spring, no store access), stateless and thread-safe.
 */
public final class ResourceValidator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> READ_ONLY = Set.of("id", "name", "type", "etag", "systemData");
  private static final Pattern HOST =
      Pattern.compile(
          "(?=.{1,253}(:|$))[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(:[0-9]{1,5})?");
  private static final Pattern TAG_KEY_FORBIDDEN = Pattern.compile("[<>%&\\\\?/]");
  private static final List<String> IDENTITY_TYPES =
      List.of("None", "SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned");

  private ResourceValidator() {}

  /** {@link #validate(ResourceId, byte[], Optional, Set)} of a resource with no stored secrets. */
  public static ValidatedResource validate(
      ResourceId id, byte[] requestBody, Optional<MappingCompanion> companion) {
    return validate(id, requestBody, companion, Set.of());
  }

  /**
   * Validates a PUT's body.
   *
   * @param id the resource the request addresses (its names already checked by {@link ArmNames})
   * @param requestBody the body's bytes, as received
   * @param companion the other side of the device/FHIR mapping cross-check: for a fhirdestination
   *     its iotconnector's device mapping, for an iotconnector its fhirdestination's FHIR mapping;
   *     empty when there is none yet (or for other types)
   * @param storedSecrets the pointers of the write-only fields the stored version holds ({@code
   *     StoredResource.secrets().keySet()}; empty on create): a request that omits one of them is
   *     validated as if it had sent it, since it is kept ({@link WriteOnlyFields#mergeSecrets})
   * @throws ArmException 400 listing every problem
   */
  public static ValidatedResource validate(
      ResourceId id,
      byte[] requestBody,
      Optional<MappingCompanion> companion,
      Set<String> storedSecrets) {
    JsonNode request = parse(requestBody);
    RequestProblems problems = new RequestProblems();
    BodyReader r = new BodyReader(problems);
    ObjectNode out = NODES.objectNode();
    ignored(request, "", READ_ONLY, knownTopLevel(id.type()), problems, id.type());
    location(request, id.type(), out, r);
    if (id.type() != ResourceType.FHIR_DESTINATION) {
      tags(request, out, r);
    }
    ObjectNode properties =
        r.object(request, "", "properties", id.type() == ResourceType.FHIR_DESTINATION);
    ObjectNode props = NODES.objectNode();
    switch (id.type()) {
      case WORKSPACE -> {
        ignored(
            properties,
            "properties",
            Set.of("provisioningState", "privateEndpointConnections"),
            List.of("publicNetworkAccess"),
            problems,
            id.type());
        String access =
            r.oneOf(
                properties,
                "properties",
                "publicNetworkAccess",
                false,
                List.of("Enabled", "Disabled"));
        if (access != null) {
          props.put("publicNetworkAccess", access);
        }
      }
      case FHIR_SERVICE -> {
        fhirServiceKind(request, out, r);
        identity(request, out, r);
        FhirServiceFields.properties(properties, props, storedSecrets, r);
      }
      case IOT_CONNECTOR -> {
        identity(request, out, r);
        IotConnectorFields.properties(
            requestBody, request, properties, props, companion, storedSecrets, r);
      }
      case FHIR_DESTINATION -> {
        if (properties != null) {
          FhirDestinationFields.properties(requestBody, request, properties, props, companion, r);
        }
      }
    }
    out.set("properties", props);
    problems.throwIfAny();
    Set<String> cleared = new HashSet<>();
    Map<String, String> secrets = WriteOnlyFields.extract(id.type(), out, cleared);
    return new ValidatedResource(out, secrets, cleared, problems.warnings());
  }

  /**
   * Validates a PATCH body: {@code tags}, and {@code identity} on iotconnectors and fhirservices;
   * any other property is refused, as ARM's PATCH of these resources takes nothing else.
   *
   * @return the normalized fields the request sets ({@code tags}, {@code identity})
   * @throws ArmException 400 listing every problem
   */
  public static ObjectNode validatePatch(ResourceId id, byte[] requestBody) {
    JsonNode request = parse(requestBody);
    RequestProblems problems = new RequestProblems();
    BodyReader r = new BodyReader(problems);
    boolean identity =
        id.type() == ResourceType.IOT_CONNECTOR || id.type() == ResourceType.FHIR_SERVICE;
    for (Iterator<String> it = request.fieldNames(); it.hasNext(); ) {
      String n = it.next();
      if (!n.equalsIgnoreCase("tags") && !(identity && n.equalsIgnoreCase("identity"))) {
        problems.invalid(
            n,
            "'"
                + n
                + "' cannot be patched on "
                + id.type().armType()
                + "; PATCH takes "
                + (identity ? "tags and identity" : "tags")
                + " only (PUT the whole resource to change the rest).");
      }
    }
    ObjectNode out = NODES.objectNode();
    tags(request, out, r);
    if (identity) {
      identity(request, out, r);
    }
    problems.throwIfAny();
    return out;
  }

  private static JsonNode parse(byte[] body) {
    if (body == null || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      throw new ArmException(
          400, "InvalidRequestContent", "The request content is empty; a JSON object is expected.");
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String reason = e.getOriginalMessage();
      int nl = reason == null ? -1 : reason.indexOf('\n');
      throw new ArmException(
          400,
          "InvalidRequestContent",
          "The request content is not valid JSON: "
              + (at == null ? "" : at.getLineNr() + ":" + at.getColumnNr() + ": ")
              + (nl < 0 ? reason : reason.substring(0, nl)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!tree.isObject()) {
      throw new ArmException(
          400,
          "InvalidRequestContent",
          "The request content must be a JSON object, not " + BodyReader.kind(tree) + ".");
    }
    return tree;
  }

  private static List<String> knownTopLevel(ResourceType type) {
    return switch (type) {
      case WORKSPACE -> List.of("location", "tags", "properties");
      case FHIR_SERVICE -> List.of("location", "tags", "properties", "kind", "identity");
      case IOT_CONNECTOR -> List.of("location", "tags", "properties", "identity");
      case FHIR_DESTINATION -> List.of("location", "properties");
    };
  }

  /**
   * Names in the warnings every property of {@code node} that is neither {@code known} nor
   * read-only: accepted, not stored.
   */
  static void ignored(
      JsonNode node,
      String path,
      Set<String> readOnly,
      List<String> known,
      RequestProblems problems,
      ResourceType type) {
    if (node == null) {
      return;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String n = it.next();
      if (known.stream().noneMatch(n::equalsIgnoreCase)
          && readOnly.stream().noneMatch(n::equalsIgnoreCase)) {
        String at = BodyReader.at(path, n);
        problems.warning(
            RequestProblems.IGNORED_PROPERTY,
            at,
            "The property '"
                + at
                + "' is not part of this project's "
                + type.segment()
                + " contract; it is ignored and not stored.");
      }
    }
  }

  private static void location(JsonNode request, ResourceType type, ObjectNode out, BodyReader r) {
    JsonNode v = BodyReader.get(request, "location");
    boolean tracked = type != ResourceType.FHIR_DESTINATION;
    if (v == null || (v.isTextual() && v.asText().isBlank())) {
      if (tracked) {
        r.problems()
            .error(
                RequestProblems.LOCATION_REQUIRED,
                "location",
                "The location property is required for this definition.");
      }
      return;
    }
    String location = r.text(request, "", "location", false);
    if (location != null) {
      // ARM's normal form: "West US" is "westus".
      out.put("location", location.replace(" ", "").toLowerCase(Locale.ROOT));
    }
  }

  private static void tags(JsonNode request, ObjectNode out, BodyReader r) {
    ObjectNode tags = r.object(request, "", "tags", false);
    if (tags == null) {
      return;
    }
    if (tags.size() > 50) {
      r.problems()
          .invalid("tags", "A resource has at most 50 tags; this request has " + tags.size() + ".");
    }
    ObjectNode t = NODES.objectNode();
    for (Map.Entry<String, JsonNode> e : tags.properties()) {
      String key = e.getKey();
      String at = "tags['" + key.replace("'", "\\'") + "']";
      if (key.isBlank() || key.length() > 512) {
        r.problems()
            .invalid(at, "A tag name is 1-512 characters; this one has " + key.length() + ".");
      } else if (TAG_KEY_FORBIDDEN.matcher(key).find()) {
        r.problems()
            .invalid(at, "The tag name '" + key + "' has a character ARM forbids: < > % & \\ ? /");
      }
      JsonNode v = e.getValue();
      if (!v.isTextual()) {
        r.problems().invalid(at, "The tag value must be a string, not " + BodyReader.kind(v) + ".");
      } else if (v.asText().length() > 256) {
        r.problems()
            .invalid(
                at,
                "A tag value is at most 256 characters; this one has " + v.asText().length() + ".");
      } else {
        t.put(key, v.asText());
      }
    }
    out.set("tags", t);
  }

  private static void fhirServiceKind(JsonNode request, ObjectNode out, BodyReader r) {
    String kind = r.oneOf(request, "", "kind", false, List.of("fhir-R4", "fhir-Stu3"));
    if ("fhir-Stu3".equals(kind)) {
      r.problems()
          .invalid(
              "kind",
              "The kind 'fhir-Stu3' is not supported: this project writes FHIR R4 resources only;"
                  + " use 'fhir-R4'.");
    }
    out.put("kind", "fhir-R4");
  }

  private static void identity(JsonNode request, ObjectNode out, BodyReader r) {
    ObjectNode identity = r.object(request, "", "identity", false);
    if (identity == null) {
      return;
    }
    String written = r.text(identity, "identity", "type", true);
    String type = null;
    if (written != null) {
      // "SystemAssigned, UserAssigned" with a space is the same type.
      String compact = written.replace(" ", "");
      type = IDENTITY_TYPES.stream().filter(compact::equalsIgnoreCase).findFirst().orElse(null);
      if (type == null) {
        r.problems()
            .invalid(
                "identity.type",
                "The value '"
                    + written
                    + "' of 'identity.type' is not allowed; it must be one of "
                    + BodyReader.quoted(IDENTITY_TYPES)
                    + ".");
      }
    }
    ObjectNode id = NODES.objectNode();
    if (type != null) {
      id.put("type", type);
    }
    ObjectNode users = r.object(identity, "identity", "userAssignedIdentities", false);
    boolean userAssigned = type != null && type.contains("UserAssigned");
    if (userAssigned && (users == null || users.isEmpty())) {
      r.problems()
          .invalid(
              "identity.userAssignedIdentities",
              "The identity type '"
                  + type
                  + "' needs at least one user-assigned identity in userAssignedIdentities.");
    } else if (!userAssigned && type != null && users != null && !users.isEmpty()) {
      r.problems()
          .invalid(
              "identity.userAssignedIdentities",
              "userAssignedIdentities is only allowed with the identity type 'UserAssigned' or"
                  + " 'SystemAssigned,UserAssigned', not '"
                  + type
                  + "'.");
    } else if (users != null && userAssigned) {
      ObjectNode u = NODES.objectNode();
      for (Iterator<String> it = users.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!key.toLowerCase(Locale.ROOT)
            .matches(
                "/?subscriptions/[^/]+/resourcegroups/[^/]+/providers/"
                    + "microsoft\\.managedidentity/userassignedidentities/[^/]+")) {
          r.problems()
              .invalid(
                  "identity.userAssignedIdentities['" + key + "']",
                  "'"
                      + key
                      + "' is not the ARM id of a user-assigned identity"
                      + " (/subscriptions/../resourceGroups/../providers/"
                      + "Microsoft.ManagedIdentity/userAssignedIdentities/<name>).");
        }
        u.set(key, NODES.objectNode());
      }
      id.set("userAssignedIdentities", u);
    }
    out.set("identity", id);
  }

  /** A host name, optionally with a port, e.g. {@code myhub.servicebus.windows.net}. */
  static boolean isHostName(String text) {
    return HOST.matcher(text).matches();
  }
}
