package io.iomt.testkit.azure.eventhubs;

import java.util.HashMap;
import java.util.Map;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.message.Message;

/** A request-response node ({@code $cbs}, {@code $management}). Server thread only. */
interface RequestHandler {

  /** The response to a request arriving on this connection (correlation is added by the caller). */
  Message handle(ServerConnection connection, Message request);

  /** A response with Event Hubs' {@code status-code} (an int) and {@code status-description}. */
  static Message response(int statusCode, String description, Object body) {
    Message response = Proton.message();
    Map<String, Object> properties = new HashMap<>();
    properties.put("status-code", statusCode);
    properties.put("status-description", description);
    response.setApplicationProperties(new ApplicationProperties(properties));
    if (body != null) {
      response.setBody(new AmqpValue(body));
    }
    return response;
  }

  /** The request's application properties (empty if none). */
  static Map<String, Object> propertiesOf(Message request) {
    ApplicationProperties properties = request.getApplicationProperties();
    return properties == null || properties.getValue() == null ? Map.of() : properties.getValue();
  }
}
