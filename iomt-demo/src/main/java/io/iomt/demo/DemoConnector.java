package io.iomt.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's connector, made through the service's management API as a MedTech user makes one in
 * Azure: a workspace, a fhirservice registering the demo's FHIR server, an iotconnector with the
 * device mapping reading the service's own broker (HTTP ingest and Kafka producers), and its
 * fhirdestination with the FHIR mapping. Being a management resource, its mappings can be changed
 * while it runs (the console saves a fixed mapping through the same API), which a connector of the
 * configuration file cannot.
 *
 * <p>{@link #ensure} is idempotent: on a re-run each resource that already holds what the demo
 * wants is left as it is; one that differs (the FHIR server's new port, a mapping changed in the
 * console) is PUT back to the demo's version. Stateless.
 */
final class DemoConnector {
  static final String SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
  static final String RESOURCE_GROUP = "demo";
  static final String WORKSPACE = "demo";
  static final String IOT_CONNECTOR = "ward";
  static final String FHIR_SERVICE = "fhir";
  static final String FHIR_DESTINATION = "fhir";

  /**
   * The name the connector runs under ({@code <workspace>-<iotconnector>}): its ingest path {@code
   * /ingest/demo-ward}, its topics {@code demo-ward-events} (the source), {@code -normalized} and
   * {@code -errors}.
   */
  static final String NAME = WORKSPACE + "-" + IOT_CONNECTOR;

  static final String WORKSPACE_ID =
      "/subscriptions/"
          + SUBSCRIPTION
          + "/resourceGroups/"
          + RESOURCE_GROUP
          + "/providers/Microsoft.HealthcareApis/workspaces/"
          + WORKSPACE;
  static final String FHIR_SERVICE_ID = WORKSPACE_ID + "/fhirservices/" + FHIR_SERVICE;
  static final String IOT_CONNECTOR_ID = WORKSPACE_ID + "/iotconnectors/" + IOT_CONNECTOR;
  static final String FHIR_DESTINATION_ID =
      IOT_CONNECTOR_ID + "/fhirdestinations/" + FHIR_DESTINATION;

  /** The connector's source topic, for Kafka producers. */
  static final String SOURCE_TOPIC = NAME + "-events";

  /** The connector's error topic (dead letters). */
  static final String ERROR_TOPIC = NAME + "-errors";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LOCATION = "westus";

  /**
   * What {@link #ensure} did.
   *
   * @param written the resources it PUT (their last path segment's type and name), in order
   */
  record Outcome(List<String> written) {
    Outcome {
      written = List.copyOf(written);
    }
  }

  private DemoConnector() {}

  /**
   * Makes (or brings back to the demo's version) the four resources and waits until each PUT's
   * operation has succeeded: the connector then runs.
   *
   * @throws IllegalStateException when the API refuses a resource or its provisioning fails
   */
  static Outcome ensure(
      ManagementClient api,
      byte[] deviceMapping,
      byte[] fhirMapping,
      String fhirUrl,
      Duration timeout)
      throws InterruptedException {
    List<String> written = new ArrayList<>();
    for (Map.Entry<String, JsonNode> resource :
        List.<Map.Entry<String, JsonNode>>of(
            Map.entry(WORKSPACE_ID, workspace()),
            Map.entry(FHIR_SERVICE_ID, fhirService(fhirUrl)),
            Map.entry(IOT_CONNECTOR_ID, iotConnector(json(deviceMapping))),
            Map.entry(FHIR_DESTINATION_ID, fhirDestination(json(fhirMapping))))) {
      Optional<JsonNode> stored = api.get(resource.getKey());
      if (stored.isPresent()
          && stored
              .get()
              .at("/properties/provisioningState")
              .asText("Succeeded")
              .equals("Succeeded")
          && holds(stored.get(), resource.getValue())) {
        continue;
      }
      api.putAndAwait(resource.getKey(), resource.getValue(), timeout);
      String id = resource.getKey();
      written.add(id.substring(id.lastIndexOf('/', id.lastIndexOf('/') - 1) + 1));
    }
    return new Outcome(written);
  }

  static ObjectNode workspace() {
    ObjectNode body = JSON.createObjectNode();
    body.put("location", LOCATION);
    return body;
  }

  static ObjectNode fhirService(String fhirUrl) {
    ObjectNode body = JSON.createObjectNode();
    body.put("location", LOCATION);
    body.put("kind", "fhir-R4");
    ObjectNode iomt = body.putObject("properties").putObject("iomt");
    iomt.put("url", fhirUrl);
    iomt.putObject("auth").put("type", "none");
    // The in-process HAPI server shares the machine's cores with everything else here: a batch of
    // 500 Observations can take longer than the default 30 s, and a timed-out batch is sent again.
    iomt.put("requestTimeout", "PT2M");
    return body;
  }

  static ObjectNode iotConnector(JsonNode deviceMapping) {
    ObjectNode body = JSON.createObjectNode();
    body.put("location", LOCATION);
    ObjectNode properties = body.putObject("properties");
    properties.putObject("deviceMapping").set("content", deviceMapping);
    ObjectNode iomt = properties.putObject("iomt");
    iomt.putObject("source").put("type", "kafka");
    iomt.put("partitions", 4);
    iomt.putObject("flush").put("maxEvents", 1000).put("maxAge", "PT1S");
    return body;
  }

  static ObjectNode fhirDestination(JsonNode fhirMapping) {
    ObjectNode body = JSON.createObjectNode();
    body.put("location", LOCATION);
    ObjectNode properties = body.putObject("properties");
    properties.put("resourceIdentityResolutionType", "Create");
    properties.put("fhirServiceResourceId", FHIR_SERVICE_ID);
    properties.putObject("fhirMapping").set("content", fhirMapping);
    return body;
  }

  /**
   * Whether a stored resource holds every field of {@code wanted} with the same value (objects
   * field by field; anything else, arrays included, as equal JSON). What the service adds (ids,
   * etag, provisioning state, defaults) does not count.
   */
  static boolean holds(JsonNode stored, JsonNode wanted) {
    if (!wanted.isObject()) {
      return wanted.equals(stored);
    }
    if (!stored.isObject()) {
      return false;
    }
    for (Map.Entry<String, JsonNode> field : wanted.properties()) {
      if (!holds(stored.path(field.getKey()), field.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode json(byte[] content) {
    try {
      return JSON.readTree(content);
    } catch (IOException e) {
      throw new UncheckedIOException("a bundled mapping is not JSON", e);
    }
  }
}
