package io.iomt.service.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.core.debug.MappingDebugger;
import io.iomt.core.debug.MappingValidation;
import io.iomt.core.error.TemplateProblem;
import io.iomt.core.fhirmapping.MappingCrossCheck;
import io.iomt.service.ConnectorRuntime;
import io.iomt.service.IomtProperties;
import io.iomt.service.management.ArmError;
import io.iomt.service.management.ArmException;
import io.iomt.service.management.ConnectorResources;
import io.iomt.service.management.ManagementService;
import io.iomt.service.management.Reconciler;
import io.iomt.service.management.ResourceStore;
import io.iomt.service.management.ResourceType;
import io.iomt.service.management.StoredResource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A connector's mappings for the console: read from the configuration file's mapping files, or from
 * the management store for connectors made through the management API; saved only through the
 * management API's own write path ({@link ManagementService#put}: validation, etag check,
 * provisioning and the live swap on every replica). Thread-safe (its collaborators are).
 */
final class ConnectorMappings {
  /** A connector's mappings as GET shows them. */
  record Mappings(
      String connector,
      boolean fromConfiguration,
      String deviceMapping,
      String fhirMapping,
      StoredResource iotConnector,
      StoredResource fhirDestination) {}

  private final ConnectorRuntime runtime;
  private final IomtProperties properties;
  private final ResourceStore store;

  /** How long a save waits for the connector to run the new mapping. */
  static final Duration APPLY_WAIT = Duration.ofSeconds(60);

  private static final Duration APPLY_POLL = Duration.ofMillis(100);

  private final ManagementService management;
  private final Reconciler reconciler;
  private final ManagementService.Callers callers;

  /**
   * @param store the management store; null when the management API is off
   * @param management the management API; null when it is off
   * @param callers who makes the current request; null when the management API is off
   * @param reconciler what runs management-made connectors here; null when the management API is
   *     off
   */
  ConnectorMappings(
      ConnectorRuntime runtime,
      IomtProperties properties,
      ResourceStore store,
      ManagementService management,
      ManagementService.Callers callers,
      Reconciler reconciler) {
    this.reconciler = reconciler;
    this.runtime = runtime;
    this.properties = properties;
    this.store = store;
    this.management = management;
    this.callers = callers;
  }

  /** The connector's mappings. */
  Mappings get(String connector) {
    if (runtime.fromConfiguration(connector)) {
      IomtProperties.Connector c = properties.getConnectors().get(connector);
      return new Mappings(
          connector,
          true,
          read(c.getDeviceMapping(), "device"),
          read(c.getFhirMapping(), "FHIR"),
          null,
          null);
    }
    Managed m = managed(connector).orElseThrow(() -> DebuggerRefusal.notFound(connector));
    return new Mappings(
        connector,
        false,
        text(m.connector().body().at("/properties/deviceMapping/content")),
        m.destination() == null
            ? null
            : text(m.destination().body().at("/properties/fhirMapping/content")),
        m.connector(),
        m.destination());
  }

  /**
   * Saves new mappings of a management-made connector through the management API and returns them
   * as stored. Both mappings are checked together first, so that a pair that does not fit is
   * refused before anything is written; when both change, they are written in the order that keeps
   * every intermediate state valid.
   *
   * @param deviceMapping the new device mapping's text; null to keep it
   * @param fhirMapping the new FHIR mapping's text; null to keep it
   */
  Mappings put(
      String connector,
      String deviceMapping,
      String fhirMapping,
      String iotConnectorEtag,
      String fhirDestinationEtag) {
    if (runtime.fromConfiguration(connector)) {
      throw new DebuggerRefusal(
          409,
          "NotAvailable",
          "Connector '"
              + connector
              + "' is defined in the service's configuration; change its mapping files (download"
              + " them from the page) and restart the service.");
    }
    Mappings current = get(connector);
    if (fhirMapping != null && current.fhirDestination() == null) {
      throw DebuggerRefusal.invalid(
          "Connector '" + connector + "' has no fhirdestination to hold a FHIR mapping yet.");
    }
    JsonNode device = deviceMapping == null ? null : json(deviceMapping, "deviceMapping");
    JsonNode fhir = fhirMapping == null ? null : json(fhirMapping, "fhirMapping");
    String newDevice = deviceMapping != null ? deviceMapping : current.deviceMapping();
    String newFhir = fhirMapping != null ? fhirMapping : current.fhirMapping();
    MappingValidation together = MappingDebugger.validate(utf8(newDevice), utf8(newFhir));
    if (!together.valid()) {
      throw DebuggerRefusal.invalid(problems(together));
    }
    boolean fhirFirst =
        device != null
            && fhir != null
            && MappingDebugger.validate(utf8(newDevice), utf8(current.fhirMapping()))
                .mappingsDisagree();
    if (fhirFirst) {
      write(current.fhirDestination(), "fhirMapping", fhir, fhirDestinationEtag);
      write(current.iotConnector(), "deviceMapping", device, iotConnectorEtag);
    } else {
      if (device != null) {
        write(current.iotConnector(), "deviceMapping", device, iotConnectorEtag);
      }
      if (fhir != null) {
        write(current.fhirDestination(), "fhirMapping", fhir, fhirDestinationEtag);
      }
    }
    return awaitRunning(connector);
  }

  /**
   * The connector's mappings once this replica runs their version (at most {@link #APPLY_WAIT});
   * other replicas follow as they read the store.
   */
  private Mappings awaitRunning(String connector) {
    long deadline = System.nanoTime() + APPLY_WAIT.toNanos();
    Mappings saved = get(connector);
    while (reconciler != null
        && saved.iotConnector() != null
        && saved.fhirDestination() != null
        && !reconciler.runs(connector, saved.iotConnector().etag(), saved.fhirDestination().etag())
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(APPLY_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      saved = get(connector);
    }
    return saved;
  }

  /**
   * PUT of the stored resource with one mapping replaced, as an ARM client would send it; returns
   * once the write's operation ended (the connector runs the new mapping here), or after {@link
   * #APPLY_WAIT} with the operation still running (the answer's provisioning state then says so). A
   * replay right after a save therefore meets the new mapping.
   */
  private void write(StoredResource resource, String field, JsonNode content, String etag) {
    ObjectNode body = resource.body().deepCopy();
    body.withObject("properties").withObject(field).set("content", content);
    ManagementService.Result result;
    try {
      result =
          management.put(
              resource.id(),
              DebuggerAnswers.JSON.writeValueAsBytes(body),
              etag,
              null,
              callers.current());
    } catch (ArmException e) {
      throw refusal(e);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    if (result.operation() != null) {
      awaitApplied(resource, result.operation().id());
    }
  }

  private void awaitApplied(StoredResource resource, String operationId) {
    long deadline = System.nanoTime() + APPLY_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<StoredResource.Operation> op =
          management.operation(resource.id().subscription(), operationId);
      if (op.isEmpty() || !op.get().isRunning()) {
        if (op.isPresent() && "Failed".equals(op.get().status())) {
          ArmError error = op.get().error();
          throw new DebuggerRefusal(
              409,
              error == null ? "ApplyFailed" : error.code(),
              "Saved, but the connector could not apply it: "
                  + (error == null ? "the operation failed" : error.message()));
        }
        return;
      }
      try {
        Thread.sleep(APPLY_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static DebuggerRefusal refusal(ArmException e) {
    ArmError error = e.error();
    if (e.status() == 412) {
      return new DebuggerRefusal(412, "PreconditionFailed", error.message());
    }
    if (e.status() == 400) {
      StringBuilder text = new StringBuilder(error.message());
      if (error.details() != null) {
        for (ArmError d : error.details()) {
          text.append('\n').append(d.target() == null ? "" : d.target() + ": ").append(d.message());
        }
      }
      return DebuggerRefusal.invalid(text.toString());
    }
    return new DebuggerRefusal(e.status(), error.code(), error.message());
  }

  /** An iotconnector and its fhirdestination (null when it has none yet). */
  private record Managed(StoredResource connector, StoredResource destination) {}

  /** The iotconnector that runs under that name, with its fhirdestination. */
  private Optional<Managed> managed(String connector) {
    if (store == null) {
      return Optional.empty();
    }
    List<StoredResource> all = store.list();
    for (StoredResource r : all) {
      if (r.id().type() == ResourceType.IOT_CONNECTOR
          && ConnectorResources.runtimeName(r.id()).equals(connector)) {
        StoredResource destination = null;
        for (StoredResource d : all) {
          if (d.id().type() == ResourceType.FHIR_DESTINATION
              && d.id().parent().orElseThrow().equalsKey(r.id())) {
            destination = d;
          }
        }
        return Optional.of(new Managed(r, destination));
      }
    }
    return Optional.empty();
  }

  private static String problems(MappingValidation v) {
    List<String> lines = new ArrayList<>();
    if (v.device() != null) {
      v.device().problems().stream()
          .filter(TemplateProblem::isError)
          .forEach(p -> lines.add("deviceMapping:" + p));
    }
    if (v.fhir() != null) {
      v.fhir().problems().stream()
          .filter(TemplateProblem::isError)
          .forEach(p -> lines.add("fhirMapping:" + p));
    }
    for (MappingCrossCheck.Finding f : v.crossCheck()) {
      if (f.problem().isError()) {
        lines.add((f.inDeviceMapping() ? "deviceMapping:" : "fhirMapping:") + f.problem());
      }
    }
    return "The mappings were not saved:\n" + String.join("\n", lines);
  }

  private static JsonNode json(String text, String field) {
    try {
      JsonNode n = DebuggerAnswers.JSON.readTree(text);
      if (n == null || !n.isObject()) {
        throw DebuggerRefusal.invalid("'" + field + "' must be a JSON object.");
      }
      return n;
    } catch (JsonProcessingException e) {
      String m = e.getOriginalMessage();
      int nl = m == null ? -1 : m.indexOf('\n');
      throw DebuggerRefusal.invalid(
          "'"
              + field
              + "' is not valid JSON"
              + (e.getLocation() == null
                  ? ""
                  : " at " + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr())
              + ": "
              + (nl < 0 ? m : m.substring(0, nl)));
    }
  }

  private static String text(JsonNode content) {
    if (content == null || content.isMissingNode() || content.isNull()) {
      return null;
    }
    try {
      return DebuggerAnswers.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(content);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static String read(Path file, String which) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DebuggerRefusal(
          409,
          "NotAvailable",
          "The connector's " + which + " mapping file cannot be read now: " + e.getMessage());
    }
  }
}
