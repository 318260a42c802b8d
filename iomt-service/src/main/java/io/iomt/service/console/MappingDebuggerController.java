package io.iomt.service.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.iomt.service.ConnectorRuntime;
import io.iomt.service.IomtProperties;
import io.iomt.service.management.ManagementService;
import io.iomt.service.management.Reconciler;
import io.iomt.service.management.ResourceStore;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console's mapping debugger (docs/console.md, "Mapping debugger"): validate mappings, test
 * messages through them (compared with a connector's FHIR server on request, reading only), and
 * load and save a connector's mappings (saving through the management API only). Authentication and
 * roles are the management API's (reader for GET, contributor for the rest); refusals are {@code
 * {"error":{"code","message"}}}; no answer holds a secret.
 */
@RestController
@RequestMapping(path = "/api/console", produces = MediaType.APPLICATION_JSON_VALUE)
public class MappingDebuggerController {
  private static final Logger LOG = LoggerFactory.getLogger(MappingDebuggerController.class);

  private final DebuggerRuns runs;
  private final ConnectorMappings mappings;

  /**
   * @param store, management, callers the management API's parts; absent when it is off (then only
   *     connectors of the configuration file exist, and none can be saved)
   */
  public MappingDebuggerController(
      ConnectorRuntime runtime,
      IomtProperties properties,
      ObjectProvider<ResourceStore> store,
      ObjectProvider<ManagementService> management,
      ObjectProvider<ManagementService.Callers> callers,
      ObjectProvider<Reconciler> reconciler,
      Clock clock) {
    this.runs = new DebuggerRuns(runtime, clock);
    this.mappings =
        new ConnectorMappings(
            runtime,
            properties,
            store.getIfAvailable(),
            management.getIfAvailable(),
            callers.getIfAvailable(),
            reconciler.getIfAvailable());
  }

  @PostMapping("/mappings/validate")
  ObjectNode validate(HttpServletRequest request) throws IOException {
    return runs.validate(body(request));
  }

  @PostMapping("/mappings/test")
  ObjectNode test(HttpServletRequest request) throws IOException {
    return runs.test(body(request));
  }

  @GetMapping("/connectors/{name}/mappings")
  ObjectNode mappings(@PathVariable String name) {
    return MappingsAnswer.of(mappings.get(name));
  }

  @PutMapping("/connectors/{name}/mappings")
  ObjectNode saveMappings(@PathVariable String name, HttpServletRequest request)
      throws IOException {
    JsonNode body = body(request);
    return MappingsAnswer.of(
        mappings.put(
            name,
            DebuggerRequests.text(body, "deviceMapping"),
            DebuggerRequests.text(body, "fhirMapping"),
            DebuggerRequests.text(body, "iotConnectorEtag"),
            DebuggerRequests.text(body, "fhirDestinationEtag")));
  }

  private static JsonNode body(HttpServletRequest request) throws IOException {
    return DebuggerRequests.body(request.getInputStream(), request.getContentLengthLong());
  }

  @ExceptionHandler(DebuggerRefusal.class)
  ResponseEntity<JsonNode> refused(DebuggerRefusal e) {
    return error(e.status(), e.code(), e.getMessage());
  }

  @ExceptionHandler(RuntimeException.class)
  ResponseEntity<JsonNode> failed(RuntimeException e) {
    LOG.error("A mapping debugger request failed", e);
    return error(
        500,
        "InternalServerError",
        "The request failed inside the service ("
            + e.getClass().getSimpleName()
            + "); see the service's log.");
  }

  private static ResponseEntity<JsonNode> error(int status, String code, String message) {
    ObjectNode body = DebuggerAnswers.JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", code);
    error.put("message", message);
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
  }
}
