package io.iomt.core.jsonpath;

import com.fasterxml.jackson.databind.JsonNode;

/** Receives matched tokens in document order; returns false to stop the evaluation early. */
@FunctionalInterface
public interface Sink {
  boolean accept(JsonNode token);
}
