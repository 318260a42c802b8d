package io.iomt.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iomt.pipeline.KafkaClients;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /ingest/{connector}}: one device message (any JSON value, e.g. an IoT Central data
 * export object) or a JSON array of them, appended to the connector's source topic. Answers {@code
 * 202 {"accepted": n}} only after the broker acknowledged every record; otherwise a 4xx/5xx with
 * {@code {"code", "message"}} and nothing of a refused request is written (all messages are checked
 * before the first is sent). A message with a string {@code deviceId} (IoT Central's export field)
 * is keyed by it. A 503 after a broker timeout may leave some records written: retrying is safe,
 * the connector's writes are idempotent.
 */
@RestController
final class IngestController implements DisposableBean {
  private final ConnectorRuntime connectors;
  private final KafkaProducer<byte[], byte[]> producer;
  private final IomtProperties.Ingest limits;
  private final ObjectMapper json;
  private final MeterRegistry registry;

  IngestController(
      ConnectorRuntime connectors,
      KafkaClients clients,
      IomtProperties properties,
      MeterRegistry registry) {
    this.connectors = connectors;
    this.producer = clients.producer();
    this.limits = properties.getIngest();
    this.registry = registry;
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(limits.getMaxNestingDepth())
                    .maxStringLength(
                        (int) Math.min(limits.getMaxRequestSize().toBytes(), Integer.MAX_VALUE))
                    .build())
            .build();
    this.json = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** Thrown to answer with a JSON error. */
  static final class Refused extends RuntimeException {
    final int status;
    final String code;

    Refused(int status, String code, String message) {
      super(message, null, false, false);
      this.status = status;
      this.code = code;
    }
  }

  @PostMapping(path = "/ingest/{connector}", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> ingest(
      @PathVariable String connector, HttpServletRequest request) {
    try {
      String topic =
          connectors
              .definition(connector)
              .orElseThrow(
                  () ->
                      new Refused(
                          404, "UnknownConnector", "No connector named '" + connector + "'."))
              .settings()
              .topics()
              .source();
      checkContentType(request.getContentType());
      List<JsonNode> messages = messages(read(request));
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(messages.size());
      long max = limits.getMaxMessageSize().toBytes();
      for (int i = 0; i < messages.size(); i++) {
        JsonNode m = messages.get(i);
        byte[] value = json.writeValueAsBytes(m);
        if (value.length > max) {
          throw new Refused(
              413,
              "MessageTooLarge",
              (messages.size() == 1 ? "The message" : "Message " + i + " of the array")
                  + " is "
                  + value.length
                  + " bytes; the limit is "
                  + max
                  + " bytes (iomt.ingest.max-message-size).");
        }
        JsonNode deviceId = m.isObject() ? m.get("deviceId") : null;
        byte[] key =
            deviceId != null && deviceId.isTextual()
                ? deviceId.textValue().getBytes(StandardCharsets.UTF_8)
                : null;
        records.add(new ProducerRecord<>(topic, key, value));
      }
      send(records);
      counter("iomt.ingest.messages", connector, "accepted").increment(records.size());
      return ResponseEntity.accepted().body(Map.of("accepted", records.size()));
    } catch (Refused r) {
      counter("iomt.ingest.requests.refused", connector, r.code).increment();
      return ResponseEntity.status(r.status).body(error(r.code, r.getMessage()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A parsed JSON value could not be written back", e);
    }
  }

  private Counter counter(String name, String connector, String outcome) {
    return Counter.builder(name)
        .tag("connector", connector)
        .tag("outcome", outcome)
        .register(registry);
  }

  private static void checkContentType(String contentType) {
    if (contentType == null) {
      return;
    }
    MediaType type;
    try {
      type = MediaType.parseMediaType(contentType);
    } catch (IllegalArgumentException e) {
      throw new Refused(
          415, "UnsupportedMediaType", "Content-Type '" + contentType + "' is not valid.");
    }
    if (!type.getSubtype().equals("json") && !type.getSubtype().endsWith("+json")) {
      throw new Refused(
          415,
          "UnsupportedMediaType",
          "Send JSON (Content-Type: application/json), not " + type + ".");
    }
  }

  private byte[] read(HttpServletRequest request) {
    long max = limits.getMaxRequestSize().toBytes();
    if (request.getContentLengthLong() > max) {
      throw tooLarge(request.getContentLengthLong(), max);
    }
    try (InputStream in = request.getInputStream()) {
      byte[] body = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
      if (body.length > max) {
        throw tooLarge(body.length, max);
      }
      return body;
    } catch (IOException e) {
      throw new Refused(400, "BadRequest", "The request body could not be read: " + e.getMessage());
    }
  }

  private static Refused tooLarge(long size, long max) {
    return new Refused(
        413,
        "RequestTooLarge",
        "The request body is "
            + (size > max + 1 ? size + " bytes" : "over " + max + " bytes")
            + "; the limit is "
            + max
            + " bytes (iomt.ingest.max-request-size).");
  }

  private List<JsonNode> messages(byte[] body) {
    if (body.length == 0) {
      throw new Refused(
          400, "EmptyBody", "The request body is empty; send a JSON message or array.");
    }
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (StreamConstraintsException e) {
      throw new Refused(
          400,
          "InvalidJson",
          "The request body exceeds a JSON limit (iomt.ingest.max-nesting-depth "
              + limits.getMaxNestingDepth()
              + "): "
              + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new Refused(
          400,
          "InvalidJson",
          "The request body is not JSON"
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
              + ": "
              + e.getOriginalMessage());
    } catch (IOException e) {
      throw new Refused(400, "InvalidJson", "The request body is not JSON: " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new Refused(
          400, "InvalidJson", "The request body is null; send a JSON message or array.");
    }
    List<JsonNode> out = new ArrayList<>();
    if (root.isArray()) {
      if (root.isEmpty()) {
        throw new Refused(400, "EmptyBatch", "The array holds no messages.");
      }
      for (int i = 0; i < root.size(); i++) {
        if (root.get(i).isNull()) {
          throw new Refused(400, "InvalidJson", "Message " + i + " of the array is null.");
        }
        out.add(root.get(i));
      }
    } else {
      out.add(root);
    }
    return out;
  }

  private void send(List<ProducerRecord<byte[], byte[]>> records) {
    long deadline = System.nanoTime() + limits.getAckTimeout().toNanos();
    List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
    try {
      for (ProducerRecord<byte[], byte[]> r : records) {
        acks.add(producer.send(r));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException e) {
      throw unavailable("no acknowledgement within " + format(limits.getAckTimeout()));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.AuthenticationException
          || e.getCause() instanceof org.apache.kafka.common.errors.AuthorizationException) {
        throw new Refused(
            503,
            "EventSourceUnauthorized",
            "The broker refused the service's credentials ("
                + e.getCause().getMessage()
                + "); check iomt.kafka settings. Nothing was acknowledged.");
      }
      throw unavailable(e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted");
    } catch (org.apache.kafka.common.KafkaException e) {
      throw unavailable(e.getMessage());
    }
  }

  private static Refused unavailable(String why) {
    return new Refused(
        503,
        "BrokerUnavailable",
        "The broker did not accept the messages ("
            + why
            + "); nothing was acknowledged, retry later (retries are safe).");
  }

  private static String format(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** Writes a JSON error from outside the controller (the API key filter). */
  static void writeError(HttpServletResponse response, int status, String code, String message)
      throws IOException {
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    if (status == 401) {
      response.setHeader("WWW-Authenticate", "Bearer");
    }
    response.getOutputStream().write(new ObjectMapper().writeValueAsBytes(error(code, message)));
  }

  private static Map<String, Object> error(String code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("message", message);
    return body;
  }

  @Override
  public void destroy() {
    producer.close(Duration.ofSeconds(5));
  }
}
