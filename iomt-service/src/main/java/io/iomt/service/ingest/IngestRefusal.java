package io.iomt.service.ingest;

import java.util.List;

/**
 * A refused ingest request: its code, a message for the client (never a secret), and, when the
 * refusal came after sending started, the indexes of the messages the broker acknowledged anyway
 * (empty: none; null: sending had not started).
 */
final class IngestRefusal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final RefusalCode code;
  final transient List<Integer> acceptedMessages;

  IngestRefusal(RefusalCode code, String message) {
    this(code, message, null);
  }

  IngestRefusal(RefusalCode code, String message, List<Integer> acceptedMessages) {
    super(message, null, false, false);
    this.code = code;
    this.acceptedMessages = acceptedMessages == null ? null : List.copyOf(acceptedMessages);
  }
}
