package io.iomt.testkit.azure.eventhubs;

import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.message.Message;

/**
 * The {@code $cbs} node: {@code put-token} requests (application properties {@code operation},
 * {@code type}, {@code name} = audience, {@code expiration}; body the token) are checked by {@link
 * AccessControl}; a granted token authorizes the connection for the audience's entities. Answers
 * 200, 401 (refused token), 404 (no such hub) or 400. Server thread only.
 */
final class CbsNode implements RequestHandler {

  private final ServerContext context;

  CbsNode(ServerContext context) {
    this.context = context;
  }

  @Override
  public Message handle(ServerConnection connection, Message request) {
    Map<String, Object> properties = RequestHandler.propertiesOf(request);
    if (!"put-token".equals(properties.get("operation"))) {
      return RequestHandler.response(
          400, "Unsupported operation: " + properties.get("operation"), null);
    }
    String audience = String.valueOf(properties.get("name"));
    String type = (String) properties.get("type");
    Object body = request.getBody() instanceof AmqpValue value ? value.getValue() : null;
    String token = body instanceof String text ? text : null;
    Object expiration = properties.get("expiration");
    Instant expiry =
        expiration instanceof Date date
            ? date.toInstant()
            : expiration instanceof Number seconds
                ? Instant.ofEpochSecond(seconds.longValue())
                : null;
    Authorization authorization = context.access().check(type, token, audience, expiry);
    if (authorization instanceof Authorization.Refused refused) {
      context.putTokensRefused.incrementAndGet();
      return RequestHandler.response(refused.statusCode(), refused.description(), null);
    }
    String hub = EntityPaths.hubOf(audience);
    if (!hub.isEmpty() && context.hub(hub).isEmpty()) {
      context.putTokensRefused.incrementAndGet();
      return RequestHandler.response(404, context.notFound(hub), null);
    }
    context.putTokensAccepted.incrementAndGet();
    connection.grant((Authorization.Granted) authorization);
    return RequestHandler.response(200, "OK", null);
  }
}
