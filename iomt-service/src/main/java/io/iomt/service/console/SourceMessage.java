package io.iomt.service.console;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One message of a connector's source topic as the console shows it (docs/console.md, "Connectors",
 * recent messages).
 *
 * @param key the key as text, or null
 * @param properties the headers; the last value of a repeated name
 */
public record SourceMessage(
    int partition,
    long offset,
    Instant time,
    String key,
    String body,
    String bodyEncoding,
    Map<String, String> properties) {

  public static SourceMessage of(ConsumerRecord<byte[], byte[]> r) {
    MessageText body = MessageText.of(r.value());
    Map<String, String> properties = new LinkedHashMap<>();
    for (Header h : r.headers()) {
      properties.put(h.key(), MessageText.text(h.value()));
    }
    return new SourceMessage(
        r.partition(),
        r.offset(),
        Instant.ofEpochMilli(r.timestamp()),
        MessageText.text(r.key()),
        body.body(),
        body.encoding(),
        properties);
  }
}
