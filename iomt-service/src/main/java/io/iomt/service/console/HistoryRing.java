package io.iomt.service.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The newest {@code capacity} elements added, oldest first: adding to a full ring overwrites its
 * oldest element, so memory stays bounded however long the service runs. Thread-safe (every method
 * holds the ring's lock).
 *
 * @param <T> the element type; elements are never null
 */
final class HistoryRing<T> {
  private final Object[] elements;
  private int next;
  private int size;

  HistoryRing(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    elements = new Object[capacity];
  }

  synchronized void add(T element) {
    elements[next] = Objects.requireNonNull(element, "element");
    next = (next + 1) % elements.length;
    size = Math.min(size + 1, elements.length);
  }

  /** A copy of the elements, oldest first. */
  @SuppressWarnings("unchecked")
  synchronized List<T> toList() {
    List<T> out = new ArrayList<>(size);
    int first = (next - size + elements.length) % elements.length;
    for (int i = 0; i < size; i++) {
      out.add((T) elements[(first + i) % elements.length]);
    }
    return out;
  }

  int capacity() {
    return elements.length;
  }
}
