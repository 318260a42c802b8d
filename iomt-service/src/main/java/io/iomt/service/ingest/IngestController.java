package io.iomt.service.ingest;

import io.iomt.pipeline.KafkaClients;
import io.iomt.service.ConnectorRuntime;
import io.iomt.service.IomtProperties;
import io.iomt.service.ServiceConfiguration;
import io.iomt.service.web.JsonErrors;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /ingest/{connector}}: one device message (any JSON value, e.g. an IoT Central data
 * export object) or a JSON array of them, appended to the connector's source topic as the exact
 * bytes the device sent. Answers {@code 202 {"accepted": n}} only after the broker acknowledged
 * every record. Otherwise a 4xx/5xx with {@code {"code", "message"}}: a request refused before
 * sending (all messages are checked first) wrote nothing; one refused while sending also lists the
 * indexes the broker acknowledged anyway in {@code "acceptedMessages"}. A message with a string
 * {@code deviceId} is keyed by it. Retrying is safe: the connector's writes are idempotent.
 */
@RestController
final class IngestController implements DisposableBean {
  private final ConnectorRuntime connectors;
  private final BodyReader reader;
  private final MessageSplitter splitter;
  private final IngestProducer producer;
  private final IngestMetrics metrics;

  IngestController(
      ConnectorRuntime connectors,
      KafkaClients clients,
      IomtProperties properties,
      ServiceConfiguration config,
      MeterRegistry registry,
      Clock clock) {
    IomtProperties.Ingest limits = properties.getIngest();
    this.connectors = connectors;
    this.reader =
        new BodyReader(limits.getMaxRequestSize().toBytes(), limits.getReadTimeout(), clock);
    this.splitter =
        new MessageSplitter(
            new MessageSplitter.Limits(
                config.ingestLimits().maxMessageBytes(),
                limits.getMaxMessagesPerRequest(),
                limits.getMaxNestingDepth(),
                limits.getMaxRequestSize().toBytes()));
    this.producer =
        new IngestProducer(clients.producer(), clients.maxRecordBytes(), limits.getAckTimeout());
    this.metrics = new IngestMetrics(registry, name -> connectors.definition(name).isPresent());
  }

  @PostMapping(path = "/ingest/{connector}")
  ResponseEntity<byte[]> ingest(@PathVariable String connector, HttpServletRequest request)
      throws IOException {
    boolean bodyRead = false;
    try {
      ServiceConfiguration.ConnectorDefinition definition =
          connectors
              .definition(connector)
              .orElseThrow(
                  () ->
                      new IngestRefusal(
                          RefusalCode.UNKNOWN_CONNECTOR,
                          "No connector named '" + connector + "'."));
      if (!definition.readsSourceTopic()) {
        throw new IngestRefusal(
            RefusalCode.NOT_AN_INGEST_CONNECTOR,
            "Connector '"
                + connector
                + "' reads the event hub "
                + definition.sourceDescription()
                + ": send its devices' messages there.");
      }
      String topic = definition.settings().topics().source();
      ContentTypes.check(request.getContentType());
      byte[] body = reader.read(request.getContentLengthLong(), request.getInputStream());
      bodyRead = true;
      List<DeviceMessage> messages = splitter.split(body);
      producer.send(topic, messages);
      metrics.accepted(connector, messages.size());
      return json(202, "{\"accepted\":" + messages.size() + "}");
    } catch (IngestRefusal r) {
      metrics.refused(connector, r.code);
      byte[] error =
          r.acceptedMessages == null
              ? JsonErrors.body(r.code.code, r.getMessage())
              : JsonErrors.body(
                  r.code.code, r.getMessage(), Map.of("acceptedMessages", r.acceptedMessages));
      ResponseEntity.BodyBuilder answer =
          ResponseEntity.status(r.code.status).contentType(MediaType.APPLICATION_JSON);
      if (!bodyRead) {
        answer.header("Connection", "close");
      }
      return answer.body(error);
    }
  }

  private static ResponseEntity<byte[]> json(int status, String body) {
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(body.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  @Override
  public void destroy() {
    producer.close();
  }
}
