package io.iomt.service.management;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.iomt.service.IomtProperties;
import io.iomt.service.ServiceConfiguration.ConnectorDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Turns an iotconnector, its fhirdestination and the fhirservice that names into the settings of a
 * running connector, the same {@link IomtProperties.Connector} a configuration file gives, so that
 * both are checked and run alike:
 *
 * <ul>
 *   <li>the connector's name is {@code <workspace>-<iotconnector>} (its topics, consumer groups,
 *       metrics and {@code /ingest/<name>});
 *   <li>{@code properties.ingestionEndpointConfiguration} makes an Event Hubs source read with the
 *       shared Azure credential (the connector's managed identity), with its checkpoints in a
 *       container {@code iomt-<name>} of {@code iomt.management.checkpoints}; without it the
 *       connector reads its source topic (HTTP ingest, Kafka producers);
 *   <li>{@code properties.iomt} of the iotconnector binds onto the connector's settings, and {@code
 *       properties.iomt} of the fhirservice onto its {@code fhir} settings, with the names of
 *       docs/configuration.md in camelCase; write-only values come back from the store's secrets;
 *   <li>a fhirservice without {@code properties.iomt.url} is Azure's: {@code
 *       https://<workspace>-<fhirservice>.fhir.azurehealthcareapis.com} with the shared credential.
 * </ul>
 *
 * Stateless and thread-safe.
 */
public final class ConnectorResources {
  private static final String PREFIX = "c";

  /** Checks settings and mappings into a connector definition, as the configuration file's are. */
  public interface Definer {
    /**
     * @return the definition, or the problems (one line each, no secrets) that prevent it
     */
    Built define(
        String name,
        IomtProperties.Connector settings,
        byte[] deviceMapping,
        String deviceLabel,
        byte[] fhirMapping,
        String fhirLabel);
  }

  /** A definition, or why there is none. */
  public record Built(ConnectorDefinition definition, List<String> problems) {}

  private final Definer definer;
  private final IomtProperties.CheckpointAccount checkpoints;

  public ConnectorResources(Definer definer, IomtProperties.CheckpointAccount checkpoints) {
    this.definer = definer;
    this.checkpoints = checkpoints;
  }

  /** The name an iotconnector runs under: {@code <workspace>-<iotconnector>}, lower-case. */
  public static String runtimeName(ResourceId connector) {
    return (connector.workspace() + "-" + connector.name()).toLowerCase(Locale.ROOT);
  }

  /** The running connector of an iotconnector with its destination and that one's fhirservice. */
  public Built build(
      StoredResource connector, StoredResource destination, StoredResource fhirService) {
    String name = runtimeName(connector.id());
    IomtProperties.Connector c = new IomtProperties.Connector();
    try {
      bind(connector, "/properties/iomt", c);
      bind(fhirService, "/properties/iomt", c.getFhir());
    } catch (BindException e) {
      return new Built(
          null,
          List.of(
              "properties.iomt: "
                  + e.getMessage()
                  + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")")));
    }
    JsonNode ingestion = connector.body().path("properties").path("ingestionEndpointConfiguration");
    if (ingestion.hasNonNull("eventHubName")
        && !ingestion.path("eventHubName").asText().isBlank()) {
      IomtProperties.Source s = c.getSource();
      s.setType("event-hubs");
      s.setEventHubName(ingestion.path("eventHubName").asText());
      s.setFullyQualifiedEventHubNamespace(
          ingestion.path("fullyQualifiedEventHubNamespace").asText(null));
      if (ingestion.hasNonNull("consumerGroup")) {
        s.setConsumerGroup(ingestion.path("consumerGroup").asText());
      }
      IomtProperties.Checkpoints cp = s.getCheckpoints();
      if (blank(cp.getContainerUrl()) && blank(cp.getConnectionString())) {
        String container = checkpointContainer(name);
        if (!blank(checkpoints.getConnectionString())) {
          cp.setConnectionString(checkpoints.getConnectionString());
          cp.setContainer(container);
        } else if (!blank(checkpoints.getBlobEndpoint())) {
          cp.setContainerUrl(checkpoints.getBlobEndpoint().replaceAll("/+$", "") + "/" + container);
        }
      }
    }
    JsonNode fhir = fhirService.body().path("properties").path("iomt");
    if (blank(c.getFhir().getUrl()) && !fhir.hasNonNull("url")) {
      c.getFhir()
          .setUrl(IomtExtension.fhirServerUrl(fhirService.id(), fhirService.body()).toString());
      if (!fhir.path("auth").hasNonNull("type")) {
        c.getFhir().getAuth().setType("azure");
      }
    }
    c.getFhir()
        .setIdentityResolution(
            destination
                .body()
                .path("properties")
                .path("resourceIdentityResolutionType")
                .asText("Create"));
    Built built =
        definer.define(
            name,
            c,
            content(connector.body().path("properties").path("deviceMapping").path("content")),
            "properties.deviceMapping.content",
            content(destination.body().path("properties").path("fhirMapping").path("content")),
            "properties.fhirMapping.content");
    return built.definition() != null
        ? built
        : new Built(null, built.problems().stream().map(p -> inApiTerms(name, p)).toList());
  }

  /**
   * A problem worded for the configuration file ({@code iomt.connectors.<name>.source...}) in the
   * API's terms: the resource's {@code properties.iomt...}, and where a service setting helps.
   */
  static String inApiTerms(String name, String problem) {
    String at = "iomt.connectors." + name + ".";
    String p =
        problem
            .replace(at + "fhir.", "the fhirservice's properties.iomt.")
            .replace(at + "device-mapping: ", "")
            .replace(at + "fhir-mapping: ", "")
            .replace(at, "properties.iomt.");
    if (p.contains("properties.iomt.source.checkpoints")) {
      p +=
          " (or give the service iomt.management.checkpoints, where every connector gets a"
              + " container of its own)";
    }
    return p;
  }

  /**
   * What deprovisioning needs of a connector that has no destination any more (its topics and
   * consumer groups under their default names): no mappings, no FHIR server, no source.
   */
  public static ConnectorDefinition skeleton(ResourceId connector) {
    String name = runtimeName(connector);
    return new ConnectorDefinition(
        new io.iomt.pipeline.Connector.Settings(
            name,
            new io.iomt.pipeline.Connector.Topics(
                name + "-events", name + "-normalized", name + "-errors"),
            1,
            null,
            null,
            null,
            null,
            null,
            null,
            null),
        null,
        null,
        null);
  }

  /** The checkpoint container of a connector: {@code iomt-<name>}, as Storage names allow. */
  public static String checkpointContainer(String runtimeName) {
    String n = ("iomt-" + runtimeName).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    n = n.replaceAll("-{2,}", "-");
    return n.length() > 63 ? n.substring(0, 63).replaceAll("-$", "0") : n;
  }

  private static byte[] content(JsonNode content) {
    try {
      return ManagementService.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(content);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Binds the object at {@code pointer} (with the resource's secrets under it) onto {@code target}.
   */
  private static void bind(StoredResource r, String pointer, Object target) {
    Map<String, Object> flat = new LinkedHashMap<>();
    JsonNode node = r.body().at(pointer);
    if (node.isObject()) {
      flatten(PREFIX, node, flat);
    }
    for (Map.Entry<String, String> s : r.secrets().entrySet()) {
      if (s.getKey().startsWith(pointer + "/")) {
        flat.put(
            PREFIX + "." + s.getKey().substring(pointer.length() + 1).replace('/', '.'),
            s.getValue());
      }
    }
    flat.remove(PREFIX + ".ingestPath");
    if (flat.isEmpty()) {
      return;
    }
    new Binder(new MapConfigurationPropertySource(flat)).bind(PREFIX, Bindable.ofInstance(target));
  }

  private static void flatten(String prefix, JsonNode node, Map<String, Object> out) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        flatten(prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        flatten(prefix + "[" + i + "]", node.get(i), out);
      }
    } else if (!node.isNull()) {
      out.put(prefix, node.asText());
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
