package io.iomt.service.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/**
 * A fhirservice's {@code properties}: {@code authenticationConfiguration} of the contract, and the
 * extension {@code iomt} that registers the existing FHIR server (its URL and how to authenticate).
 * Azure's other FHIR service properties (access policies, CORS, export, ...) configure a server
 * this project does not host: accepted, named in the warnings, not stored. Stateless.
 */
final class FhirServiceFields {
  private static final List<String> AUTHENTICATION =
      List.of("authority", "audience", "smartProxyEnabled");

  private FhirServiceFields() {}

  static void properties(
      ObjectNode properties, ObjectNode out, Set<String> storedSecrets, BodyReader r) {
    ResourceValidator.ignored(
        properties,
        "properties",
        Set.of("provisioningState", "eventState", "privateEndpointConnections"),
        List.of("authenticationConfiguration", IomtExtension.NAME),
        r.problems(),
        ResourceType.FHIR_SERVICE);
    String at = "properties.authenticationConfiguration";
    ObjectNode auth = r.object(properties, "properties", "authenticationConfiguration", false);
    if (auth != null) {
      ResourceValidator.ignored(
          auth, at, Set.of(), AUTHENTICATION, r.problems(), ResourceType.FHIR_SERVICE);
      ObjectNode a = out.putObject("authenticationConfiguration");
      String authority = r.text(auth, at, "authority", false);
      if (authority != null) {
        if (!IomtExtension.isHttpUrl(authority)) {
          r.problems()
              .invalid(
                  at + ".authority",
                  "'"
                      + authority
                      + "' is not an http(s) URL like"
                      + " https://login.microsoftonline.com/<tenant-id>.");
        }
        a.put("authority", authority);
      }
      String audience = r.text(auth, at, "audience", false);
      if (audience != null) {
        a.put("audience", audience);
      }
      Boolean smart = r.bool(auth, at, "smartProxyEnabled");
      if (smart != null) {
        a.put("smartProxyEnabled", smart);
      }
    }
    JsonNode iomt = BodyReader.get(properties, IomtExtension.NAME);
    if (iomt != null && !iomt.isObject()) {
      r.object(properties, "properties", IomtExtension.NAME, false);
    } else if (iomt != null) {
      out.set(IomtExtension.NAME, IomtExtension.fhirService(iomt, storedSecrets, r));
    }
  }
}
