package io.iomt.service.management;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The durable desired state every replica shares. Writes are conditional on the etag the writer saw
 * ({@link Expect}); every replica applies the same writes in the same order and so reaches the same
 * decision on each, whichever replica wrote it. A write returns once this replica's view holds it
 * (read your writes). Thread-safe.
 *
 * <p>Lifecycle: {@link #start()} reads the whole history before it returns (a replica that starts
 * later catches up first); {@link #close()} stops reading.
 */
public interface ResourceStore extends AutoCloseable {

  /** Which version a write expects to replace. */
  sealed interface Expect {
    /** Whatever is there, or nothing. */
    record Any() implements Expect {}

    /** Nothing: the resource must not exist ({@code If-None-Match: *}). */
    record Absent() implements Expect {}

    /** Some version: the resource must exist ({@code If-Match: *}). */
    record Present() implements Expect {}

    /** Exactly this version ({@code If-Match: <etag>}). */
    record Etag(String etag) implements Expect {}

    Expect ANY = new Any();
    Expect ABSENT = new Absent();
    Expect PRESENT = new Present();

    static Expect etag(String etag) {
      return new Etag(etag);
    }

    /** Whether a resource whose current etag is {@code current} (null: absent) satisfies it. */
    default boolean matches(String current) {
      if (this instanceof Absent) {
        return current == null;
      }
      if (this instanceof Present) {
        return current != null;
      }
      if (this instanceof Etag e) {
        return e.etag().equals(current);
      }
      return true;
    }
  }

  /** The write was refused: the resource's current version is not the expected one. */
  final class PreconditionFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient StoredResource current;

    public PreconditionFailedException(ResourceId id, StoredResource current) {
      super(
          id
              + (current == null
                  ? " does not exist"
                  : " has changed (its etag is " + current.etag() + ")"));
      this.current = current;
    }

    /** The version that is there now; null when there is none. */
    public StoredResource current() {
      return current;
    }
  }

  /** The store cannot be read or written (the broker is unreachable, the write timed out). */
  final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A change applied to this replica's view: {@code after} is null for a deletion. */
  record Change(ResourceId id, StoredResource before, StoredResource after) {}

  /** Reads the history, then follows new writes. Returns once the view is current. */
  void start();

  /** The current version of a resource (by {@link ResourceId#key()}). */
  Optional<StoredResource> get(ResourceId id);

  /** Every resource, ordered by {@link ResourceId#key()}. */
  List<StoredResource> list();

  /**
   * Writes {@code next} (its etag is ignored: the store gives it a new one) if the current version
   * matches {@code expect}.
   *
   * @return what was stored, with its new etag
   * @throws PreconditionFailedException when the current version does not match
   * @throws StoreUnavailableException when the write cannot be made durable within its timeout
   */
  StoredResource put(StoredResource next, Expect expect);

  /**
   * Removes a resource if its current version matches {@code expect}; removing an absent resource
   * with {@link Expect#ANY} does nothing.
   *
   * @throws PreconditionFailedException when the current version does not match
   */
  void delete(ResourceId id, Expect expect);

  /**
   * Calls {@code listener} with every change applied from now on, in the order of the log, on the
   * store's own thread (a listener must not block long nor write to the store from that thread).
   */
  void subscribe(Consumer<Change> listener);

  /** Waits until this replica's view holds every write made anywhere before the call. */
  void awaitCurrent(Duration timeout);

  @Override
  void close();
}
