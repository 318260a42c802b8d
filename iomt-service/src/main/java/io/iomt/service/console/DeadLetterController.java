package io.iomt.service.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iomt.pipeline.KafkaClients;
import io.iomt.service.ConnectorRuntime;
import io.iomt.service.ServiceConfiguration.ConnectorDefinition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console's dead letters (docs/console.md, "Dead letters") and a connector's recent source
 * messages: browse, replay, replay status. Roles are checked before (GET reader, POST contributor).
 * Errors are {@code {"error":{"code","message"}}}. Thread-safe (stateless).
 */
@RestController
@RequestMapping("/api/console/connectors/{name}")
public class DeadLetterController {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterController.class);

  private final ConnectorRuntime runtime;
  private final DeadLetterConsole console;
  private final ObjectMapper json;

  public DeadLetterController(
      ConnectorRuntime runtime, KafkaClients clients, Clock clock, ObjectMapper json) {
    this.runtime = runtime;
    this.console = new DeadLetterConsole(clients, clock);
    this.json = json;
  }

  @GetMapping("/dead-letters")
  public DeadLetterConsole.Page browse(
      @PathVariable String name,
      @RequestParam(required = false) String error,
      @RequestParam(required = false) String device,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) String limit,
      @RequestParam(required = false) String before) {
    ConnectorDefinition connector = connector(name);
    DeadLetterFilter filter = DeadLetterFilter.of(error, device, from, to);
    TopicCursor cursor = before == null || before.isBlank() ? null : TopicCursor.parse(before);
    return console.browse(connector, filter, limit(limit, 50), cursor);
  }

  @PostMapping("/dead-letters/replay")
  public ResponseEntity<DeadLetterConsole.Replay> replay(
      @PathVariable String name, @RequestBody(required = false) String body)
      throws InterruptedException {
    ConnectorDefinition connector = connector(name);
    JsonNode request;
    try {
      request = body == null ? null : json.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage(), e);
    }
    if (request == null || !request.isObject()) {
      throw new IllegalArgumentException("expected {\"ids\":[...]} or {\"filter\":{...}}");
    }
    JsonNode ids = request.get("ids");
    JsonNode filter = request.get("filter");
    if ((ids == null) == (filter == null)) {
      throw new IllegalArgumentException("give either ids or filter");
    }
    DeadLetterConsole.Replay replay;
    if (ids != null) {
      if (!ids.isArray() || ids.isEmpty() || ids.size() > DeadLetterConsole.MAX_LIMIT) {
        throw new IllegalArgumentException(
            "ids must be a list of 1 to " + DeadLetterConsole.MAX_LIMIT + " dead letter ids");
      }
      List<RecordPosition> positions = new ArrayList<>();
      for (JsonNode id : ids) {
        RecordPosition p = RecordPosition.parse(id.isTextual() ? id.asText() : id.toString());
        if (!positions.contains(p)) {
          positions.add(p);
        }
      }
      replay = console.replay(connector, positions);
    } else {
      if (!filter.isObject()) {
        throw new IllegalArgumentException("filter must be an object");
      }
      replay =
          console.replay(
              connector,
              DeadLetterFilter.of(
                  text(filter, "error"),
                  text(filter, "device"),
                  text(filter, "from"),
                  text(filter, "to")));
    }
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(replay);
  }

  @GetMapping("/dead-letters/replays/{replay}")
  public ReplayStatus replayStatus(@PathVariable String name, @PathVariable String replay)
      throws ExecutionException, TimeoutException {
    ConnectorDefinition connector = connector(name);
    return console.status(connector, ReplayId.decode(replay));
  }

  @GetMapping("/messages")
  public ResponseEntity<?> recentMessages(
      @PathVariable String name, @RequestParam(required = false) String limit) {
    ConnectorDefinition connector = connector(name);
    int n = limit(limit, 20);
    if (!connector.readsSourceTopic()) {
      return error(
          HttpStatus.CONFLICT,
          "NotAvailable",
          "connector '" + name + "' reads an Event Hub, not a topic of the service's broker");
    }
    return ResponseEntity.ok(console.recentMessages(connector, n));
  }

  private ConnectorDefinition connector(String name) {
    return runtime.definition(name).orElseThrow(() -> new ConnectorNotFound(name));
  }

  private static int limit(String text, int otherwise) {
    if (text == null || text.isBlank()) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(text.trim());
      if (n >= 1 && n <= DeadLetterConsole.MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException(
        "limit must be a number from 1 to " + DeadLetterConsole.MAX_LIMIT + ": " + text);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** No connector of that name runs here. */
  static final class ConnectorNotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConnectorNotFound(String name) {
      super("no connector named '" + name + "'");
    }
  }

  @ExceptionHandler(ConnectorNotFound.class)
  ResponseEntity<Map<String, Object>> notFound(ConnectorNotFound e) {
    return error(HttpStatus.NOT_FOUND, "ConnectorNotFound", e.getMessage());
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ResponseEntity<Map<String, Object>> invalid(IllegalArgumentException e) {
    return error(HttpStatus.BAD_REQUEST, "InvalidRequest", e.getMessage());
  }

  @ExceptionHandler({
    KafkaException.class,
    ExecutionException.class,
    TimeoutException.class,
    InterruptedException.class
  })
  ResponseEntity<Map<String, Object>> unavailable(Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    LOG.warn("Console dead-letter request failed: {}", e.toString());
    return error(
        HttpStatus.SERVICE_UNAVAILABLE,
        "ServiceUnavailable",
        "the broker did not answer in time; try again");
  }

  private static ResponseEntity<Map<String, Object>> error(
      HttpStatus status, String code, String message) {
    return ResponseEntity.status(status)
        .body(Map.of("error", Map.of("code", code, "message", message)));
  }
}
