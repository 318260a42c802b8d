package com.azure.messaging.eventhubs;

import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.MessageAnnotations;
import org.apache.qpid.proton.message.Message;

/**
 * Test support: {@link EventData} as the SDK makes it from an AMQP message it received, through the
 * SDK's own (package-private) deserializer, so unit tests see exactly what a receiver hands out.
 */
public final class ReceivedEvents {
  private ReceivedEvents() {}

  /** An AMQP message being built: a data body, annotations and application properties. */
  public static final class Amqp {
    private final byte[] body;
    private final Map<Symbol, Object> annotations = new LinkedHashMap<>();
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private String messageId;
    private String contentType;

    private Amqp(byte[] body) {
      this.body = body;
    }

    /** Event Hubs' own annotations: sequence number, offset (a string), enqueued time. */
    public Amqp position(long sequenceNumber, Instant enqueued) {
      annotations.put(Symbol.valueOf("x-opt-sequence-number"), sequenceNumber);
      annotations.put(Symbol.valueOf("x-opt-offset"), Long.toString(sequenceNumber * 100));
      annotations.put(Symbol.valueOf("x-opt-enqueued-time"), Date.from(enqueued));
      return this;
    }

    public Amqp annotation(String name, Object value) {
      annotations.put(Symbol.valueOf(name), value instanceof Instant i ? Date.from(i) : value);
      return this;
    }

    public Amqp property(String name, Object value) {
      properties.put(name, value);
      return this;
    }

    public Amqp messageId(String id) {
      this.messageId = id;
      return this;
    }

    public Amqp contentType(String type) {
      this.contentType = type;
      return this;
    }

    public EventData received() {
      Message m = Proton.message();
      m.setBody(new Data(new Binary(body)));
      m.setMessageAnnotations(new MessageAnnotations(annotations));
      m.setApplicationProperties(new ApplicationProperties(properties));
      if (messageId != null) {
        m.setMessageId(messageId);
      }
      if (contentType != null) {
        m.setContentType(contentType);
      }
      return new EventHubMessageSerializer().deserialize(m, EventData.class);
    }
  }

  public static Amqp message(byte[] body) {
    return new Amqp(body);
  }
}
