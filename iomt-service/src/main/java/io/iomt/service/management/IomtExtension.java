package io.iomt.service.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.fhir.auth.FhirAuth;
import io.iomt.fhir.auth.FhirAuthOptions;
import io.iomt.fhir.auth.Secret;
import io.iomt.fhir.auth.SettingProblem;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This project's extension of the contract, {@code properties.iomt}: on an iotconnector, a source
 * other than Event Hubs and the connector's tuning; on a fhirservice, the existing FHIR server it
 * registers. Checked strictly (an unknown property is an error: ignoring it would leave a default
 * in force) and normalized to the canonical spelling. Stateless and thread-safe.
 */
public final class IomtExtension {
  static final String NAME = "iomt";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ns|us|ms|s|m|h|d)");
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Pattern CONTAINER =
      Pattern.compile("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]");
  private static final Map<String, String> AUTH_SETTINGS =
      Map.of(
          "type", "type",
          "token", "token",
          "token-url", "tokenUrl",
          "client-id", "clientId",
          "client-secret", "clientSecret",
          "scope", "scope",
          "tenant-id", "tenantId");

  private IomtExtension() {}

  /**
   * A duration as the extension writes them: ISO-8601 as ARM does ({@code PT5S}) or the service
   * configuration's short form ({@code 500ms}, {@code 5s}, {@code 5m}, {@code 1h}); empty when it
   * is neither or not positive.
   */
  public static Optional<Duration> parseDuration(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.trim();
    Duration d = null;
    Matcher m = SIMPLE_DURATION.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "ns" -> Duration.ofNanos(n);
            case "us" -> Duration.ofNanos(n * 1000);
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
    } else {
      try {
        d = Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    return d.isNegative() || d.isZero() ? Optional.empty() : Optional.of(d);
  }

  /**
   * The base URL of the FHIR server a fhirservice registers: {@code properties.iomt.url}, or the
   * one Azure derives from the names ({@code
   * https://{workspace}-{fhirservice}.fhir.azurehealthcareapis.com}) when none is given.
   */
  public static URI fhirServerUrl(ResourceId fhirService, JsonNode body) {
    JsonNode url = body.path("properties").path(NAME).path("url");
    if (url.isTextual() && !url.asText().isBlank()) {
      return URI.create(url.asText().trim());
    }
    return URI.create(
        "https://"
            + fhirService.workspace()
            + "-"
            + fhirService.name()
            + ".fhir.azurehealthcareapis.com");
  }

  /**
   * Checks and normalizes an iotconnector's {@code properties.iomt}.
   *
   * @param eventHub whether the body has {@code properties.ingestionEndpointConfiguration}
   * @param stored the write-only fields the stored version holds (kept when the request omits them)
   */
  static ObjectNode iotConnector(
      JsonNode iomt, boolean eventHub, Set<String> stored, BodyReader r) {
    String at = "properties.iomt";
    ObjectNode out = NODES.objectNode();
    r.rejectUnknown(iomt, at, List.of("source", "partitions", "flush", "deadLetters"));
    ObjectNode source = r.object(iomt, at, "source", false);
    String sat = at + ".source";
    r.rejectUnknown(
        source, sat, List.of("type", "topic", "connectionString", "startPosition", "checkpoints"));
    String type = r.oneOf(source, sat, "type", false, List.of("kafka", "event-hubs"));
    if (type == null) {
      type = eventHub ? "event-hubs" : "kafka";
    }
    ObjectNode src = NODES.objectNode().put("type", type);
    if (type.equals("kafka") && eventHub) {
      r.problems()
          .invalid(
              sat + ".type",
              "A kafka source reads a topic of the service's broker, but"
                  + " properties.ingestionEndpointConfiguration names an event hub; remove one of"
                  + " them.");
    }
    if (type.equals("event-hubs") && !eventHub) {
      r.problems()
          .invalid(
              "properties.ingestionEndpointConfiguration",
              "An event-hubs source needs properties.ingestionEndpointConfiguration (eventHubName,"
                  + " consumerGroup, fullyQualifiedEventHubNamespace).");
    }
    String topic = r.text(source, sat, "topic", false);
    if (topic != null) {
      if (!type.equals("kafka")) {
        r.problems().invalid(sat + ".topic", "A topic is read only by a kafka source.");
      } else if (!TOPIC.matcher(topic).matches()) {
        r.problems()
            .invalid(
                sat + ".topic",
                "'"
                    + topic
                    + "' is not a Kafka topic name (1-249 letters, digits, '.', '_' and '-').");
      }
      src.put("topic", topic);
    }
    secret(source, sat, "connectionString", src, r);
    String start = r.text(source, sat, "startPosition", false);
    if (start != null) {
      if (!start.equalsIgnoreCase("earliest") && !start.equalsIgnoreCase("latest")) {
        try {
          Instant.parse(start);
        } catch (DateTimeParseException e) {
          r.problems()
              .invalid(
                  sat + ".startPosition",
                  "'" + start + "' is not earliest, latest or an ISO-8601 instant.");
        }
      }
      src.put("startPosition", start);
    }
    ObjectNode checkpoints = r.object(source, sat, "checkpoints", false);
    if (type.equals("kafka")) {
      for (String only : List.of("connectionString", "startPosition", "checkpoints")) {
        if (BodyReader.has(source, only)) {
          r.problems().invalid(sat + "." + only, "Only an event-hubs source has '" + only + "'.");
        }
      }
    } else {
      ObjectNode cp = checkpoints(checkpoints, sat + ".checkpoints", stored, r);
      if (cp != null) {
        src.set("checkpoints", cp);
      }
    }
    out.set("source", src);
    Integer partitions = r.integer(iomt, at, "partitions", 1);
    if (partitions != null) {
      out.put("partitions", partitions);
    }
    ObjectNode flush = r.object(iomt, at, "flush", false);
    if (flush != null) {
      r.rejectUnknown(flush, at + ".flush", List.of("maxEvents", "maxAge"));
      ObjectNode f = NODES.objectNode();
      Integer maxEvents = r.integer(flush, at + ".flush", "maxEvents", 1);
      if (maxEvents != null) {
        f.put("maxEvents", maxEvents);
      }
      duration(flush, at + ".flush", "maxAge", f, r);
      out.set("flush", f);
    }
    ObjectNode dead = r.object(iomt, at, "deadLetters", false);
    if (dead != null) {
      r.rejectUnknown(dead, at + ".deadLetters", List.of("eventHub"));
      out.set("deadLetters", deadLetters(dead, at + ".deadLetters", stored, r));
    }
    return out;
  }

  /**
   * The checkpoint container of an event-hubs source; null when none is given, the service's own
   * account ({@code iomt.management.checkpoints}) then holds a container per connector.
   */
  private static ObjectNode checkpoints(ObjectNode c, String at, Set<String> stored, BodyReader r) {
    if (c == null) {
      return null;
    }
    r.rejectUnknown(c, at, List.of("containerUrl", "container", "connectionString"));
    ObjectNode out = NODES.objectNode();
    String url = r.text(c, at, "containerUrl", false);
    String container = r.text(c, at, "container", false);
    boolean cs =
        secret(c, at, "connectionString", out, r)
            || (raw(c, "connectionString") == null
                && stored.contains("/properties/iomt/source/checkpoints/connectionString"));
    if (url != null) {
      if (!isHttpUrl(url)) {
        r.problems()
            .invalid(
                at + ".containerUrl",
                "The container URL is not an http(s) URL like"
                    + " https://<account>.blob.core.windows.net/<container>.");
      }
      if (cs) {
        r.problems().invalid(at, "Set containerUrl or connectionString and container, not both.");
      }
      out.put("containerUrl", url);
    } else if (!cs) {
      r.problems()
          .invalid(
              at,
              "An event-hubs source needs a Blob container for checkpoints and partition"
                  + " ownership: containerUrl (with the service's Azure credential), or"
                  + " connectionString and container.");
    }
    if (container != null) {
      if (!CONTAINER.matcher(container).matches()) {
        r.problems()
            .invalid(
                at + ".container",
                "'"
                    + container
                    + "' is not a Blob container name (3-63 lowercase letters, digits and single"
                    + " '-').");
      }
      out.put("container", container);
    } else if (cs && url == null) {
      r.problems().invalid(at + ".container", "The container is required with connectionString.");
    }
    return out;
  }

  private static ObjectNode deadLetters(
      ObjectNode dead, String at, Set<String> stored, BodyReader r) {
    ObjectNode out = NODES.objectNode();
    ObjectNode hub = r.object(dead, at, "eventHub", true);
    if (hub == null) {
      return out;
    }
    String hat = at + ".eventHub";
    r.rejectUnknown(
        hub, hat, List.of("connectionString", "fullyQualifiedEventHubNamespace", "eventHubName"));
    ObjectNode h = NODES.objectNode();
    boolean cs =
        secret(hub, hat, "connectionString", h, r)
            || (raw(hub, "connectionString") == null
                && stored.contains("/properties/iomt/deadLetters/eventHub/connectionString"));
    String ns = r.text(hub, hat, "fullyQualifiedEventHubNamespace", false);
    if (ns != null) {
      if (!ResourceValidator.isHostName(ns)) {
        r.problems()
            .invalid(
                hat + ".fullyQualifiedEventHubNamespace",
                "'" + ns + "' is not a host name like <namespace>.servicebus.windows.net.");
      }
      h.put("fullyQualifiedEventHubNamespace", ns);
    } else if (!cs) {
      r.problems()
          .invalid(
              hat,
              "The dead-letter event hub needs connectionString or"
                  + " fullyQualifiedEventHubNamespace (with the service's Azure credential).");
    }
    String name = r.text(hub, hat, "eventHubName", false);
    if (name != null) {
      h.put("eventHubName", name);
    }
    out.set("eventHub", h);
    return out;
  }

  /**
   * Checks and normalizes a fhirservice's {@code properties.iomt}; its auth is checked by the same
   * code as the service's configuration ({@link FhirAuth#settings}).
   */
  static ObjectNode fhirService(JsonNode iomt, Set<String> stored, BodyReader r) {
    String at = "properties.iomt";
    ObjectNode out = NODES.objectNode();
    r.rejectUnknown(iomt, at, List.of("url", "auth", "requestTimeout", "maxBackoff"));
    String url = r.text(iomt, at, "url", false);
    if (url != null) {
      if (!isHttpUrl(url)) {
        r.problems()
            .invalid(
                at + ".url",
                "'" + url.replaceFirst("//[^/@]*@", "//") + "' is not an http(s) URL.");
      } else if (URI.create(url).getUserInfo() != null) {
        r.problems()
            .invalid(
                at + ".url",
                "The URL holds a user name or password, which would never be sent; use"
                    + " properties.iomt.auth instead.");
      }
      out.put("url", url);
    }
    ObjectNode auth = r.object(iomt, at, "auth", false);
    if (auth != null) {
      out.set("auth", auth(auth, at + ".auth", stored, r));
    }
    duration(iomt, at, "requestTimeout", out, r);
    duration(iomt, at, "maxBackoff", out, r);
    return out;
  }

  private static ObjectNode auth(ObjectNode auth, String at, Set<String> stored, BodyReader r) {
    r.rejectUnknown(auth, at, AUTH_SETTINGS.values());
    ObjectNode out = NODES.objectNode();
    String type = r.text(auth, at, "type", false);
    String tokenUrl = r.text(auth, at, "tokenUrl", false);
    String clientId = r.text(auth, at, "clientId", false);
    String scope = r.text(auth, at, "scope", false);
    String tenantId = r.text(auth, at, "tenantId", false);
    boolean token = secret(auth, at, "token", out, r);
    boolean clientSecret = secret(auth, at, "clientSecret", out, r);
    // A secret the request omits stays as stored: it counts as given.
    token |= raw(auth, "token") == null && stored.contains("/properties/iomt/auth/token");
    clientSecret |=
        raw(auth, "clientSecret") == null && stored.contains("/properties/iomt/auth/clientSecret");
    FhirAuthOptions options =
        new FhirAuthOptions(
            type == null ? null : type.toLowerCase(Locale.ROOT),
            token ? Secret.of("write-only") : null,
            tokenUrl,
            clientId,
            clientSecret ? Secret.of("write-only") : null,
            scope,
            tenantId);
    for (SettingProblem p :
        FhirAuth.settings(options, setting -> at + "." + AUTH_SETTINGS.get(setting)).problems()) {
      r.problems().invalid(p.path(), "The property '" + p.path() + "': " + p.message() + ".");
    }
    putIfSet(out, "type", type == null ? null : type.toLowerCase(Locale.ROOT));
    putIfSet(out, "tokenUrl", tokenUrl);
    putIfSet(out, "clientId", clientId);
    putIfSet(out, "scope", scope);
    putIfSet(out, "tenantId", tenantId);
    return out;
  }

  /**
   * Copies a write-only string into {@code out} (an explicit {@code null} too, which clears the
   * stored secret). Never repeats its value in a problem.
   *
   * @return whether the request sets it to a value
   */
  private static boolean secret(JsonNode in, String at, String name, ObjectNode out, BodyReader r) {
    JsonNode v = raw(in, name);
    if (v == null) {
      return false;
    }
    if (v.isNull()) {
      out.putNull(name);
      return false;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      r.problems()
          .invalid(
              at + "." + name,
              "The property '" + at + "." + name + "' must be a non-empty string.");
      return false;
    }
    out.put(name, v.asText().trim());
    return true;
  }

  private static void duration(JsonNode in, String at, String name, ObjectNode out, BodyReader r) {
    String text = r.text(in, at, name, false);
    if (text == null) {
      return;
    }
    if (parseDuration(text).isEmpty()) {
      r.problems()
          .invalid(
              at + "." + name,
              "'"
                  + text
                  + "' is not a positive duration such as PT5S (ISO-8601), 500ms, 30s or 5m.");
    }
    out.put(name, text);
  }

  /** The property in any case, {@code null} values included; null when absent. */
  private static JsonNode raw(JsonNode in, String name) {
    if (in == null || !in.isObject()) {
      return null;
    }
    for (Map.Entry<String, JsonNode> e : in.properties()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static void putIfSet(ObjectNode out, String name, String value) {
    if (value != null) {
      out.put(name, value);
    }
  }

  static boolean isHttpUrl(String text) {
    try {
      URI uri = new URI(text.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
