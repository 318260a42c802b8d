package io.iomt.testkit.azure.eventhubs;

import java.time.Instant;

/**
 * The standard AMQP properties section of an event (all nullable), passed through unchanged from
 * producer to consumer. {@code messageId} and {@code correlationId} are Strings here (the SDK's
 * usual choice); {@code userId} is the raw bytes.
 */
public record EventProperties(
    String messageId,
    byte[] userId,
    String to,
    String subject,
    String replyTo,
    String correlationId,
    String contentType,
    String contentEncoding,
    Instant absoluteExpiryTime,
    Instant creationTime,
    String groupId) {

  /** No standard properties at all. */
  public static final EventProperties NONE =
      new EventProperties(null, null, null, null, null, null, null, null, null, null, null);

  public EventProperties {
    userId = userId == null ? null : userId.clone();
  }

  /** Properties with only a message id, a content type and a correlation id. */
  public static EventProperties of(String messageId, String contentType, String correlationId) {
    return new EventProperties(
        messageId, null, null, null, null, correlationId, contentType, null, null, null, null);
  }

  @Override
  public byte[] userId() {
    return userId == null ? null : userId.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventProperties p
        && java.util.Objects.equals(messageId, p.messageId)
        && java.util.Arrays.equals(userId, p.userId)
        && java.util.Objects.equals(to, p.to)
        && java.util.Objects.equals(subject, p.subject)
        && java.util.Objects.equals(replyTo, p.replyTo)
        && java.util.Objects.equals(correlationId, p.correlationId)
        && java.util.Objects.equals(contentType, p.contentType)
        && java.util.Objects.equals(contentEncoding, p.contentEncoding)
        && java.util.Objects.equals(absoluteExpiryTime, p.absoluteExpiryTime)
        && java.util.Objects.equals(creationTime, p.creationTime)
        && java.util.Objects.equals(groupId, p.groupId);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        messageId,
        java.util.Arrays.hashCode(userId),
        to,
        subject,
        replyTo,
        correlationId,
        contentType,
        contentEncoding,
        absoluteExpiryTime,
        creationTime,
        groupId);
  }

  @Override
  public String toString() {
    return "EventProperties[messageId="
        + messageId
        + ", contentType="
        + contentType
        + ", correlationId="
        + correlationId
        + ", subject="
        + subject
        + ", creationTime="
        + creationTime
        + "]";
  }
}
