package io.iomt.testkit.azure.eventhubs;

import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.qpid.proton.message.Message;

/**
 * The {@code $management} node: {@code READ} of {@code com.microsoft:eventhub} (name, created_at,
 * partition_count, partition_ids) and {@code com.microsoft:partition} (begin and last enqueued
 * sequence number, last enqueued offset and time, is_partition_empty), with the value types the
 * SDK's deserializer insists on. The request's {@code security_token} is checked like a put-token.
 * Server thread only.
 */
final class ManagementNode implements RequestHandler {

  private final ServerContext context;

  ManagementNode(ServerContext context) {
    this.context = context;
  }

  @Override
  public Message handle(ServerConnection connection, Message request) {
    Map<String, Object> properties = RequestHandler.propertiesOf(request);
    String name = String.valueOf(properties.get("name"));
    String token = (String) properties.get("security_token");
    String audience = "amqp://" + context.host() + "/" + name;
    if (token != null) {
      String type =
          token.startsWith("SharedAccessSignature ")
              ? AccessControl.SAS_TOKEN_TYPE
              : AccessControl.JWT_TOKEN_TYPE;
      if (context.access().check(type, token, audience, null)
          instanceof Authorization.Refused refused) {
        return RequestHandler.response(refused.statusCode(), refused.description(), null);
      }
    } else if (!connection.isAuthorized(name)) {
      return RequestHandler.response(401, "Unauthorized: no security_token.", null);
    }
    if (!"READ".equals(properties.get("operation"))) {
      return RequestHandler.response(
          400, "Unsupported operation: " + properties.get("operation"), null);
    }
    Optional<EventHub> hub = context.hub(name);
    if (hub.isEmpty()) {
      return RequestHandler.response(404, context.notFound(name), null);
    }
    Object type = properties.get("type");
    if ("com.microsoft:eventhub".equals(type)) {
      return RequestHandler.response(200, "OK", hubProperties(hub.get()));
    }
    if ("com.microsoft:partition".equals(type)) {
      String partitionId = String.valueOf(properties.get("partition"));
      return hub.get()
          .partition(partitionId)
          .map(log -> RequestHandler.response(200, "OK", partitionProperties(hub.get(), log)))
          .orElseGet(
              () ->
                  RequestHandler.response(
                      404, context.notFound(name + "/Partitions/" + partitionId), null));
    }
    return RequestHandler.response(400, "Unsupported type: " + type, null);
  }

  private static Map<String, Object> hubProperties(EventHub hub) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", hub.name());
    body.put("type", "com.microsoft:eventhub");
    body.put("created_at", Date.from(hub.createdAt()));
    body.put("partition_count", hub.partitions().size());
    body.put("partition_ids", hub.partitionIds());
    return body;
  }

  private static Map<String, Object> partitionProperties(EventHub hub, PartitionLog log) {
    Optional<StoredEvent> last = log.last();
    Map<String, Object> body = new HashMap<>();
    body.put("name", hub.name());
    body.put("type", "com.microsoft:partition");
    body.put("partition", log.partitionId());
    body.put("begin_sequence_number", 0L);
    body.put("last_enqueued_sequence_number", last.map(StoredEvent::sequenceNumber).orElse(-1L));
    body.put("last_enqueued_offset", last.map(StoredEvent::offsetString).orElse("-1"));
    body.put(
        "last_enqueued_time_utc",
        Date.from(last.map(StoredEvent::enqueuedTime).orElse(java.time.Instant.EPOCH)));
    body.put("is_partition_empty", last.isEmpty());
    return body;
  }
}
