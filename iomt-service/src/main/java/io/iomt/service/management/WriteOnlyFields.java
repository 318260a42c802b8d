package io.iomt.service.management;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The write-only fields of each resource type: secrets in this project's extension ({@code
 * properties.iomt}) that a PUT may set but no GET returns, like ARM's {@code x-ms-secret}
 * properties. They are kept in {@link StoredResource#secrets()} by JSON pointer into the body,
 * never in {@link StoredResource#body()}. Stateless and thread-safe.
 *
 * <p>Semantics, as ARM's write-only properties: a PUT that <em>sets</em> a field replaces the
 * stored secret; a PUT that <em>omits</em> it keeps the stored secret (clients cannot send back
 * what GET never showed them); a PUT that sets it to {@code null} removes it. See {@link
 * #mergeSecrets}.
 */
public final class WriteOnlyFields {
  private static final Map<ResourceType, List<String>> POINTERS =
      Map.of(
          ResourceType.IOT_CONNECTOR,
          List.of(
              "/properties/iomt/source/connectionString",
              "/properties/iomt/source/checkpoints/connectionString",
              "/properties/iomt/deadLetters/eventHub/connectionString"),
          ResourceType.FHIR_SERVICE,
          List.of("/properties/iomt/auth/token", "/properties/iomt/auth/clientSecret"),
          ResourceType.WORKSPACE,
          List.of(),
          ResourceType.FHIR_DESTINATION,
          List.of());

  private WriteOnlyFields() {}

  /** The JSON pointers of a type's write-only fields, in the canonical spelling. */
  public static List<String> of(ResourceType type) {
    return POINTERS.get(type);
  }

  /** Whether {@code pointer} is a write-only field of {@code type}. */
  public static boolean isWriteOnly(ResourceType type, String pointer) {
    return POINTERS.get(type).contains(pointer);
  }

  /**
   * The secrets of a PUT: {@code given} (set by this request), plus each previous secret that the
   * request omitted, unless the request cleared it ({@code cleared}: set to {@code null}) or no
   * longer has the object that held it (e.g. no {@code properties.iomt.auth} any more: the secret
   * would configure nothing).
   *
   * @param previousSecrets the stored version's {@link StoredResource#secrets()}; empty on create
   * @param given the secrets the request set ({@link ValidatedResource#secrets()})
   * @param cleared the write-only fields the request set to null ({@link
   *     ValidatedResource#clearedSecrets()})
   * @param body the normalized body about to be stored (without secrets)
   * @return what to store in {@link StoredResource#secrets()}
   */
  public static Map<String, String> mergeSecrets(
      Map<String, String> previousSecrets,
      Map<String, String> given,
      Set<String> cleared,
      JsonNode body) {
    Map<String, String> out = new HashMap<>(given);
    previousSecrets.forEach(
        (pointer, value) -> {
          if (!given.containsKey(pointer)
              && !cleared.contains(pointer)
              && body.at(JsonPointer.compile(pointer).head()).isObject()) {
            out.put(pointer, value);
          }
        });
    return Map.copyOf(out);
  }

  /** {@link #mergeSecrets(Map, Map, Set, JsonNode)} with a validated request's parts. */
  public static Map<String, String> mergeSecrets(
      Map<String, String> previousSecrets, ValidatedResource validated) {
    return mergeSecrets(
        previousSecrets, validated.secrets(), validated.clearedSecrets(), validated.body());
  }

  /**
   * Takes the write-only fields out of a normalized body (in place).
   *
   * @return the values by pointer; {@code null}s (a request clearing the field) are reported to
   *     {@code cleared}
   */
  static Map<String, String> extract(ResourceType type, ObjectNode body, Set<String> cleared) {
    Map<String, String> out = new HashMap<>();
    for (String pointer : POINTERS.get(type)) {
      JsonPointer p = JsonPointer.compile(pointer);
      JsonNode parent = body.at(p.head());
      String field = p.last().getMatchingProperty();
      if (parent instanceof ObjectNode o && o.has(field)) {
        JsonNode v = o.remove(field);
        if (v.isNull()) {
          cleared.add(pointer);
        } else {
          out.put(pointer, v.asText());
        }
      }
    }
    return out;
  }
}
