package io.iomt.testkit.azure.eventhubs;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.DeliveryAnnotations;
import org.apache.qpid.proton.amqp.messaging.MessageAnnotations;
import org.apache.qpid.proton.amqp.messaging.Properties;
import org.apache.qpid.proton.amqp.messaging.Section;
import org.apache.qpid.proton.codec.AMQPDefinedTypes;
import org.apache.qpid.proton.codec.DecoderImpl;
import org.apache.qpid.proton.codec.EncoderImpl;
import org.apache.qpid.proton.codec.ReadableBuffer;
import org.apache.qpid.proton.message.Message;

/** Encoding and decoding of AMQP messages and Event Hubs events. Stateless; thread-safe. */
final class AmqpMessages {

  /**
   * The message format of an AMQP batch (Event Hubs' {@code EventDataBatch}): Data sections of
   * messages.
   */
  static final int BATCH_MESSAGE_FORMAT = 0x80013700;

  static final Symbol OFFSET = Symbol.valueOf("x-opt-offset");
  static final Symbol SEQUENCE_NUMBER = Symbol.valueOf("x-opt-sequence-number");
  static final Symbol ENQUEUED_TIME = Symbol.valueOf("x-opt-enqueued-time");
  static final Symbol PARTITION_KEY = Symbol.valueOf("x-opt-partition-key");

  private AmqpMessages() {}

  static byte[] encode(Message message) {
    int size = 1024;
    while (true) {
      byte[] bytes = new byte[size];
      try {
        int written = message.encode(bytes, 0, bytes.length);
        return java.util.Arrays.copyOf(bytes, written);
      } catch (java.nio.BufferOverflowException e) {
        size *= 2;
      }
    }
  }

  static Message decode(byte[] bytes) {
    Message message = Proton.message();
    message.decode(bytes, 0, bytes.length);
    return message;
  }

  /**
   * The messages a producer's transfer carries: the message itself, or for the batch format the
   * messages in its Data sections (inheriting the envelope's partition key when they have none).
   */
  static List<Message> unpack(byte[] bytes, int messageFormat) {
    if (messageFormat != BATCH_MESSAGE_FORMAT) {
      return List.of(decode(bytes));
    }
    DecoderImpl decoder = new DecoderImpl();
    EncoderImpl encoder = new EncoderImpl(decoder);
    AMQPDefinedTypes.registerAllTypes(decoder, encoder);
    ReadableBuffer buffer = ReadableBuffer.ByteBufferReader.wrap(ByteBuffer.wrap(bytes));
    decoder.setBuffer(buffer);
    List<Message> messages = new ArrayList<>();
    Object envelopeKey = null;
    while (buffer.hasRemaining()) {
      Object section = decoder.readObject();
      if (section instanceof MessageAnnotations annotations && annotations.getValue() != null) {
        envelopeKey = annotations.getValue().get(PARTITION_KEY);
      } else if (section instanceof Data data) {
        messages.add(decode(data.getValue().getArray()));
      }
    }
    if (envelopeKey != null) {
      for (Message message : messages) {
        Map<Symbol, Object> annotations = annotationsOf(message);
        annotations.putIfAbsent(PARTITION_KEY, envelopeKey);
        message.setMessageAnnotations(new MessageAnnotations(annotations));
      }
    }
    return messages;
  }

  /** What a producer sent, as a {@link TestEvent}. */
  static TestEvent toEvent(Message message) {
    Map<Symbol, Object> annotations = annotationsOf(message);
    Object key = annotations.remove(PARTITION_KEY);
    Map<String, Object> annotationMap = new LinkedHashMap<>();
    annotations.forEach((name, value) -> annotationMap.put(name.toString(), value));
    Map<String, Object> applicationProperties = new LinkedHashMap<>();
    if (message.getApplicationProperties() != null
        && message.getApplicationProperties().getValue() != null) {
      message.getApplicationProperties().getValue().forEach(applicationProperties::put);
    }
    return new TestEvent(
        bodyOf(message.getBody()),
        applicationProperties,
        annotationMap,
        key == null ? null : key.toString(),
        propertiesOf(message.getProperties()));
  }

  /**
   * The message a consumer receives for a stored event: the producer's sections plus the
   * annotations Event Hubs adds, with the types the SDK reads ({@code x-opt-offset} a string,
   * {@code x-opt-sequence-number} a long, {@code x-opt-enqueued-time} a timestamp).
   */
  static Message toMessage(StoredEvent stored, Map<Symbol, Object> deliveryAnnotations) {
    TestEvent event = stored.event();
    Message message = Proton.message();
    Map<Symbol, Object> annotations = new HashMap<>();
    event
        .messageAnnotations()
        .forEach((name, value) -> annotations.put(Symbol.valueOf(name), value));
    if (event.partitionKey() != null) {
      annotations.put(PARTITION_KEY, event.partitionKey());
    }
    annotations.put(OFFSET, stored.offsetString());
    annotations.put(SEQUENCE_NUMBER, stored.sequenceNumber());
    annotations.put(ENQUEUED_TIME, Date.from(stored.enqueuedTime()));
    message.setMessageAnnotations(new MessageAnnotations(annotations));
    if (deliveryAnnotations != null) {
      message.setDeliveryAnnotations(new DeliveryAnnotations(deliveryAnnotations));
    }
    if (!event.applicationProperties().isEmpty()) {
      message.setApplicationProperties(
          new ApplicationProperties(new HashMap<>(event.applicationProperties())));
    }
    Properties properties = toProperties(event.properties());
    if (properties != null) {
      message.setProperties(properties);
    }
    message.setBody(new Data(new Binary(event.body())));
    return message;
  }

  private static Map<Symbol, Object> annotationsOf(Message message) {
    Map<Symbol, Object> annotations = new HashMap<>();
    if (message.getMessageAnnotations() != null
        && message.getMessageAnnotations().getValue() != null) {
      annotations.putAll(message.getMessageAnnotations().getValue());
    }
    return annotations;
  }

  private static byte[] bodyOf(Section body) {
    if (body instanceof Data data && data.getValue() != null) {
      Binary binary = data.getValue();
      return java.util.Arrays.copyOfRange(
          binary.getArray(), binary.getArrayOffset(), binary.getArrayOffset() + binary.getLength());
    }
    if (body instanceof AmqpValue value && value.getValue() instanceof Binary binary) {
      return binary.getArray().clone();
    }
    if (body instanceof AmqpValue value && value.getValue() instanceof String text) {
      return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    return new byte[0];
  }

  private static EventProperties propertiesOf(Properties p) {
    if (p == null) {
      return EventProperties.NONE;
    }
    return new EventProperties(
        p.getMessageId() == null ? null : p.getMessageId().toString(),
        p.getUserId() == null ? null : p.getUserId().getArray(),
        p.getTo(),
        p.getSubject(),
        p.getReplyTo(),
        p.getCorrelationId() == null ? null : p.getCorrelationId().toString(),
        p.getContentType() == null ? null : p.getContentType().toString(),
        p.getContentEncoding() == null ? null : p.getContentEncoding().toString(),
        p.getAbsoluteExpiryTime() == null ? null : p.getAbsoluteExpiryTime().toInstant(),
        p.getCreationTime() == null ? null : p.getCreationTime().toInstant(),
        p.getGroupId());
  }

  private static Properties toProperties(EventProperties e) {
    if (e.equals(EventProperties.NONE)) {
      return null;
    }
    Properties p = new Properties();
    p.setMessageId(e.messageId());
    p.setUserId(e.userId() == null ? null : new Binary(e.userId()));
    p.setTo(e.to());
    p.setSubject(e.subject());
    p.setReplyTo(e.replyTo());
    p.setCorrelationId(e.correlationId());
    p.setContentType(e.contentType() == null ? null : Symbol.valueOf(e.contentType()));
    p.setContentEncoding(e.contentEncoding() == null ? null : Symbol.valueOf(e.contentEncoding()));
    p.setAbsoluteExpiryTime(date(e.absoluteExpiryTime()));
    p.setCreationTime(date(e.creationTime()));
    p.setGroupId(e.groupId());
    return p;
  }

  private static Date date(Instant instant) {
    return instant == null ? null : Date.from(instant);
  }
}
