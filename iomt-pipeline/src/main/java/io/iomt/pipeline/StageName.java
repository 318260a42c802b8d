package io.iomt.pipeline;

/**
 * The stages of a connector, with the name health, metrics and consumer groups use. Every connector
 * runs {@link #NORMALIZE} and {@link #GROUP}; {@link #FORWARD_ERRORS} runs only where a dead-letter
 * destination is configured ({@link Connector#stages()}).
 */
public enum StageName {
  NORMALIZE("normalize"),
  GROUP("group"),
  /** Copies dead letters from the error topic to a destination the customer owns. */
  FORWARD_ERRORS("forward-errors");

  private final String id;

  StageName(String id) {
    this.id = id;
  }

  /** The lowercase name: {@code normalize}, {@code group}, {@code forward-errors}. */
  public String id() {
    return id;
  }

  @Override
  public String toString() {
    return id;
  }
}
