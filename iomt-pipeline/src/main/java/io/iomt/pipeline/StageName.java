package io.iomt.pipeline;

/** The stages of a connector, with the name health, metrics and consumer groups use. */
public enum StageName {
  NORMALIZE("normalize"),
  GROUP("group");

  private final String id;

  StageName(String id) {
    this.id = id;
  }

  /** The lowercase name: {@code normalize}, {@code group}. */
  public String id() {
    return id;
  }

  @Override
  public String toString() {
    return id;
  }
}
