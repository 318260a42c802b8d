package io.iomt.service.management;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link ResourceStore} in memory, for tests of what uses the store: the same conditional writes,
 * etags and change notifications as {@link KafkaResourceStore}, without a broker. Listeners run on
 * the writing thread, before the write returns, in the order of the writes (a listener may write to
 * this store, unlike to the Kafka one). {@link #failWrites} makes writes fail as if the broker were
 * unreachable. Thread-safe; {@link #start()} and {@link #close()} do nothing.
 */
public final class InMemoryResourceStore implements ResourceStore {
  private final TreeMap<String, StoredResource> resources = new TreeMap<>();
  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean failWrites;

  @Override
  public void start() {}

  /** From now on, writes throw {@link StoreUnavailableException} (reads still answer) or not. */
  public void failWrites(boolean fail) {
    this.failWrites = fail;
  }

  @Override
  public synchronized Optional<StoredResource> get(ResourceId id) {
    return Optional.ofNullable(resources.get(id.key()));
  }

  @Override
  public synchronized List<StoredResource> list() {
    return List.copyOf(resources.values());
  }

  @Override
  public synchronized StoredResource put(StoredResource next, Expect expect) {
    StoredResource before = checked(next.id(), expect);
    StoredResource after = next.withEtag("\"" + UUID.randomUUID() + "\"");
    resources.put(next.id().key(), after);
    notify(new Change(next.id(), before, after));
    return after;
  }

  @Override
  public synchronized void delete(ResourceId id, Expect expect) {
    StoredResource before = checked(id, expect);
    if (before != null) {
      resources.remove(id.key());
      notify(new Change(before.id(), before, null));
    }
  }

  private StoredResource checked(ResourceId id, Expect expect) {
    if (failWrites) {
      throw new StoreUnavailableException("writes fail (InMemoryResourceStore#failWrites)", null);
    }
    StoredResource current = resources.get(id.key());
    if (!expect.matches(current == null ? null : current.etag())) {
      throw new PreconditionFailedException(id, current);
    }
    return current;
  }

  private void notify(Change change) {
    for (Consumer<Change> listener : listeners) {
      try {
        listener.accept(change);
      } catch (RuntimeException e) {
        // As the Kafka store: a failing listener neither fails the write nor stops the others.
      }
    }
  }

  @Override
  public void subscribe(Consumer<Change> listener) {
    listeners.add(listener);
  }

  @Override
  public void awaitCurrent(Duration timeout) {}

  @Override
  public void close() {}
}
