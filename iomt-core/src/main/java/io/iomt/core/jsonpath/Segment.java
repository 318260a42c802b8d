package io.iomt.core.jsonpath;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One step of a compiled path. Each step maps a token to zero or more tokens, in Newtonsoft.Json's
 * order, and hands them to the next step.
 */
sealed interface Segment {

  /** Applies this step to {@code node}; returns false when the sink asked to stop. */
  boolean apply(JsonNode root, JsonNode node, Sink next);

  /** {@code .name} or {@code ['name']}: the property's value, on objects only. */
  record Field(String name) implements Segment {
    @Override
    public boolean apply(JsonNode root, JsonNode node, Sink next) {
      if (node.isObject()) {
        JsonNode child = node.get(name);
        return child == null || next.accept(child);
      }
      return true;
    }
  }

  /** {@code ['a','b']}: several properties, in the order written. */
  record Fields(String[] names) implements Segment {
    @Override
    public boolean apply(JsonNode root, JsonNode node, Sink next) {
      if (node.isObject()) {
        for (String name : names) {
          JsonNode child = node.get(name);
          if (child != null && !next.accept(child)) {
            return false;
          }
        }
      }
      return true;
    }
  }

  /** {@code *} or {@code [*]}: every property value of an object, every element of an array. */
  record Wildcard() implements Segment {
    @Override
    public boolean apply(JsonNode root, JsonNode node, Sink next) {
      for (JsonNode child : node) {
        if (!next.accept(child)) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * {@code [0]}, {@code [-1]}, {@code [0,2]}: array elements; negative indexes count from the end.
   */
  record Indexes(int[] indexes) implements Segment {
    @Override
    public boolean apply(JsonNode root, JsonNode node, Sink next) {
      if (node.isArray()) {
        for (int index : indexes) {
          int i = index < 0 ? node.size() + index : index;
          if (i >= 0 && i < node.size() && !next.accept(node.get(i))) {
            return false;
          }
        }
      }
      return true;
    }
  }

  /** {@code [start:end:step]} on arrays, with Python-style defaults and negative bounds. */
  record Slice(Integer start, Integer end, int step) implements Segment {
    @Override
    public boolean apply(JsonNode root, JsonNode node, Sink next) {
      if (!node.isArray()) {
        return true;
      }
      int size = node.size();
      if (step > 0) {
        int from = clamp(start == null ? 0 : start, size);
        int to = clamp(end == null ? size : end, size);
        for (int i = from; i < to; i += step) {
          if (!next.accept(node.get(i))) {
            return false;
          }
        }
      } else {
        int from = start == null ? size - 1 : Math.min(clamp(start, size), size - 1);
        int to = end == null ? -1 : clamp(end, size);
        for (int i = from; i > to; i += step) {
          if (!next.accept(node.get(i))) {
            return false;
          }
        }
      }
      return true;
    }

    private static int clamp(int index, int size) {
      int i = index < 0 ? size + index : index;
      return Math.max(0, Math.min(i, size));
    }
  }

  /** {@code ..name}: the value of every property {@code name} at any depth, in document order. */
  record ScanField(String name) implements Segment {
    @Override
    public boolean apply(JsonNode root, JsonNode node, Sink next) {
      if (node.isObject()) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
          if (e.getKey().equals(name) && !next.accept(e.getValue())) {
            return false;
          }
          if (!apply(root, e.getValue(), next)) {
            return false;
          }
        }
      } else if (node.isArray()) {
        for (JsonNode child : node) {
          if (!apply(root, child, next)) {
            return false;
          }
        }
      }
      return true;
    }
  }

  /**
   * {@code ..*}, and the descent part of {@code ..[...]}: the starting token itself (when {@code
   * includeSelf}) and then every token below it, depth first in document order.
   */
  record Descendants(boolean includeSelf) implements Segment {
    @Override
    public boolean apply(JsonNode root, JsonNode node, Sink next) {
      return (!includeSelf || next.accept(node)) && below(node, next);
    }

    private static boolean below(JsonNode node, Sink next) {
      for (JsonNode child : node) {
        if (!next.accept(child) || !below(child, next)) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * {@code [?(...)]}: the elements of an array that pass the filter. Over an object it matches
   * nothing, as in Newtonsoft.Json, which iterates the object's properties, not its values.
   */
  record Filter(FilterExpression expression) implements Segment {
    @Override
    public boolean apply(JsonNode root, JsonNode node, Sink next) {
      if (node.isArray()) {
        for (JsonNode child : node) {
          if (expression.test(root, child) && !next.accept(child)) {
            return false;
          }
        }
      }
      return true;
    }
  }

  /**
   * {@code ..[?(...)]}: the starting token itself and every token below it, each tested. Testing
   * the starting token is the Newtonsoft.Json behaviour MedTech mappings rely on: {@code
   * $..[?(@heartrate)]} matches a root object that has {@code heartrate}.
   */
  record ScanFilter(FilterExpression expression) implements Segment {
    @Override
    public boolean apply(JsonNode root, JsonNode node, Sink next) {
      if (expression.test(root, node) && !next.accept(node)) {
        return false;
      }
      for (JsonNode child : node) {
        if (!apply(root, child, next)) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Applies {@code inner} to each token {@code descendants} yields ({@code ..[0]}, {@code
   * ..['a']}).
   */
  record Then(Segment descendants, Segment inner) implements Segment {
    @Override
    public boolean apply(JsonNode root, JsonNode node, Sink next) {
      return descendants.apply(root, node, token -> inner.apply(root, token, next));
    }
  }
}
