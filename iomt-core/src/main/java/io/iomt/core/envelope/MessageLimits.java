package io.iomt.core.envelope;

/**
 * Limits applied to every incoming message before it is parsed.
 *
 * @param maxMessageBytes largest accepted body, in bytes (default 1 MiB, as Azure Event Hubs)
 * @param maxNestingDepth deepest accepted JSON nesting (default 1000); deeper is rejected without
 *     recursion, so hostile input cannot overflow the stack
 */
public record MessageLimits(int maxMessageBytes, int maxNestingDepth) {
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
  public static final int DEFAULT_MAX_NESTING_DEPTH = 1000;

  public static final MessageLimits DEFAULTS =
      new MessageLimits(DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_NESTING_DEPTH);

  public MessageLimits {
    if (maxMessageBytes <= 0) {
      throw new IllegalArgumentException(
          "maxMessageBytes must be positive, got " + maxMessageBytes);
    }
    if (maxNestingDepth <= 0) {
      throw new IllegalArgumentException(
          "maxNestingDepth must be positive, got " + maxNestingDepth);
    }
  }

  public MessageLimits withMaxMessageBytes(int bytes) {
    return new MessageLimits(bytes, maxNestingDepth);
  }
}
