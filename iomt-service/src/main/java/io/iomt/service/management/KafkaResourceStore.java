package io.iomt.service.management;

import io.iomt.core.retry.Backoff;
import io.iomt.pipeline.KafkaClients;
import io.iomt.service.management.StoreRecord.Op;
import io.iomt.service.management.StoreRecord.Tombstone;
import io.iomt.service.management.StoreRecord.Write;
import io.iomt.service.management.StoreView.Decision;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ResourceStore} of every replica: a compacted topic with one partition on the service's
 * broker, which each replica reads from the beginning and follows.
 *
 * <p><b>Records.</b> Key: {@link ResourceId#key()} (UTF-8). Value: {@code {"op": "put"|"delete"|
 * "restore", "writer", "writeId", "at", "id", "expect": {"kind": "any"|"absent"|"present"|"etag",
 * "etag"}, "supersedes", "resource": {"id", "etag", "body", "secrets", "operation"}}}; tombstones
 * (null values) carry {@code iomt-writer}, {@code iomt-write-id} and {@code iomt-supersedes}
 * headers. A write is decided by each replica's reader as it reaches it in the log, by rules that
 * depend only on the log (see {@link StoreView}): every replica accepts or rejects it alike, and
 * the writer learns the decision from its own reader.
 *
 * <p><b>Compaction.</b> The broker eventually keeps only the last record of each key, so that
 * record must state the accepted version on its own. The writer of a record that was rejected
 * therefore appends a {@code restore} of the version that was current (a tombstone if there was
 * none), and the writer of an accepted deletion appends a tombstone, so the broker removes the key
 * after {@code delete.retention.ms}. Those follow-ups are sent by a background thread of the writer
 * right after the decision. <em>The remaining window:</em> a writer that stops (crash, SIGKILL,
 * lost broker) between its record and the follow-up leaves a rejected record, or a deletion record
 * instead of a tombstone, as the key's last record. Replicas that read the log before compaction
 * are unaffected; one that starts after the broker compacted that key may hold the rejected
 * record's version (or keep the deleted resource absent under a non-tombstone) until the key is
 * written again. A replica that restarts with the same instance id sends its missing follow-ups
 * when it starts, which closes the window for restarted replicas.
 *
 * <p><b>Secrets.</b> {@link StoredResource#secrets()} are written to the topic as they are given:
 * protect the topic with broker ACLs (only the service's principal may read or write it), and
 * prefer Key Vault references ({@code @Microsoft.KeyVault(SecretUri=...)}) as the values of
 * write-only fields, so the topic holds references rather than secrets. Bodies and secrets are
 * never logged; ids, etags and offsets are.
 *
 * <p><b>Failures.</b> The reader survives a broker outage (it reconnects, with backoff after
 * errors); writes meanwhile fail with {@link StoreUnavailableException} within the write timeout.
 * Such a failure leaves the outcome unknown: the producer may still deliver the record when the
 * broker is back, within its {@code delivery.timeout.ms}, and it is then decided like any other
 * (its etag condition makes a retry by the caller safe).
 *
 * <p>Thread-safe. Lifecycle: {@link #start()} once, then any calls, then {@link #close()};
 * listeners run on the reader thread and must not write to the store from there (the write would
 * wait for the very thread that runs it).
 */
public final class KafkaResourceStore implements ResourceStore {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaResourceStore.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Backoff BACKOFF = Backoff.of(Duration.ofMillis(200), Duration.ofSeconds(10));

  private final KafkaClients clients;
  private final String topic;
  private final TopicPartition partition;
  private final Duration writeTimeout;
  private final Clock clock;
  private final String writer;
  private final StoreView view = new StoreView();
  private final Map<String, CompletableFuture<Decision>> pending = new ConcurrentHashMap<>();
  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
  private final Object positionLock = new Object();
  private long position;
  private volatile boolean running;
  private volatile boolean caughtUp;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private Thread reader;
  private Admin admin;
  private KafkaProducer<byte[], byte[]> producer;
  private ScheduledExecutorService settler;

  /**
   * @param clients the service's Kafka clients
   * @param topic the compacted topic of the resources ({@code iomt.management.topic})
   * @param writeTimeout how long a write waits for the broker and for this replica to read it
   * @param clock the deadlines' clock and the records' {@code at}
   * @param instanceId this replica's id, which tells its own records apart; a random one when null
   */
  public KafkaResourceStore(
      KafkaClients clients, String topic, Duration writeTimeout, Clock clock, String instanceId) {
    this.clients = clients;
    this.topic = topic;
    this.partition = new TopicPartition(topic, 0);
    this.writeTimeout = writeTimeout;
    this.clock = clock;
    this.writer = instanceId != null ? instanceId : "store-" + UUID.randomUUID();
  }

  /**
   * Creates the topic if it is missing, then reads it up to its end before returning.
   *
   * @throws IllegalStateException when the topic exists with more than one partition or without
   *     compaction
   * @throws StoreUnavailableException when the broker does not answer within the write timeout
   */
  @Override
  public synchronized void start() {
    if (running || reader != null) {
      throw new IllegalStateException("the store is started already");
    }
    try {
      admin = clients.admin();
      ResourceStoreTopic.ensure(admin, topic, writeTimeout);
      producer = clients.producer();
      producer.partitionsFor(topic);
      settler =
          Executors.newSingleThreadScheduledExecutor(
              r -> daemon(r, "iomt-resource-store-settle-" + topic));
      running = true;
      reader = daemon(this::read, "iomt-resource-store-read-" + topic);
      reader.start();
      awaitCurrent(writeTimeout);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    caughtUp = true;
    int own = 0;
    for (String key : view.keys()) {
      if (needsSettling(key)) {
        own++;
        settleLater(key, Duration.ZERO);
      }
    }
    LOG.info(
        "Resource store on {}: read to offset {}, {} resources{}",
        topic,
        currentPosition(),
        view.list().size(),
        own == 0 ? "" : ", settling " + own + " of this replica's unfinished writes");
  }

  @Override
  public Optional<StoredResource> get(ResourceId id) {
    return view.get(id.key());
  }

  @Override
  public List<StoredResource> list() {
    return view.list();
  }

  @Override
  public StoredResource put(StoredResource next, Expect expect) {
    long deadline = deadline();
    StoredResource current = currentMatching(next.id(), expect, deadline);
    StoredResource stored = next.withEtag("\"" + UUID.randomUUID() + "\"");
    Write write =
        new Write(Op.PUT, writer, newId(), clock.instant(), expect, null, next.id(), stored);
    Decision d = write(write, deadline);
    if (d instanceof Decision.Applied applied) {
      return applied.after();
    }
    LOG.debug("Put of {} over {} rejected", next.id(), current == null ? null : current.etag());
    throw new PreconditionFailedException(next.id(), ((Decision.Rejected) d).current());
  }

  @Override
  public void delete(ResourceId id, Expect expect) {
    long deadline = deadline();
    StoredResource current = currentMatching(id, expect, deadline);
    if (current == null) {
      return;
    }
    Write write = new Write(Op.DELETE, writer, newId(), clock.instant(), expect, null, id, null);
    if (write(write, deadline) instanceof Decision.Rejected r) {
      throw new PreconditionFailedException(id, r.current());
    }
  }

  /**
   * The current version if it matches {@code expect}; when it does not, waits for the view to be
   * current and checks again, so a write that cannot succeed is refused without a record (and a
   * record that expects a version never expects one this replica has not read).
   */
  private StoredResource currentMatching(ResourceId id, Expect expect, long deadline) {
    if (!running) {
      throw new IllegalStateException("the store is not running");
    }
    StoredResource current = view.get(id.key()).orElse(null);
    if (current != null && expect.matches(current.etag())) {
      return current;
    }
    awaitCurrentUntil(deadline);
    current = view.get(id.key()).orElse(null);
    if (!expect.matches(current == null ? null : current.etag())) {
      throw new PreconditionFailedException(id, current);
    }
    return current;
  }

  @Override
  public void subscribe(Consumer<Change> listener) {
    listeners.add(listener);
  }

  @Override
  public void awaitCurrent(Duration timeout) {
    awaitCurrentUntil(clock.millis() + timeout.toMillis());
  }

  private void awaitCurrentUntil(long deadline) {
    long end;
    try {
      end =
          admin
              .listOffsets(Map.of(partition, OffsetSpec.latest()))
              .partitionResult(partition)
              .get(remaining(deadline), TimeUnit.MILLISECONDS)
              .offset();
    } catch (ExecutionException | TimeoutException e) {
      throw unavailable("Cannot read the end of " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("Interrupted while reading the end of " + topic, e);
    }
    synchronized (positionLock) {
      while (position < end) {
        long left = remaining(deadline);
        if (left <= 0 || !running) {
          throw unavailable(
              "This replica read "
                  + topic
                  + " to offset "
                  + position
                  + ", not to its end "
                  + end
                  + ", in time",
              null);
        }
        try {
          positionLock.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw unavailable("Interrupted while reading " + topic, e);
        }
      }
    }
  }

  /** Sends a record and waits for this replica's decision on it. */
  private Decision write(StoreRecord record, long deadline) {
    CompletableFuture<Decision> decided = new CompletableFuture<>();
    pending.put(record.writeId(), decided);
    try {
      producer.send(producerRecord(record)).get(remaining(deadline), TimeUnit.MILLISECONDS);
      return decided.get(remaining(deadline), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException | InterruptException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      if (cause instanceof StoreUnavailableException u) {
        throw u;
      }
      throw unavailable(
          "The write of " + record.key() + " was not stored and read back in " + writeTimeout,
          cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("Interrupted while writing " + record.key(), e);
    } finally {
      pending.remove(record.writeId());
    }
  }

  private ProducerRecord<byte[], byte[]> producerRecord(StoreRecord record) {
    byte[] key = record.key().getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers =
        record instanceof Tombstone t
            ? t.headers()
            : Map.of(
                StoreRecord.WRITER_HEADER, writer, StoreRecord.WRITE_ID_HEADER, record.writeId());
    List<Header> h = new ArrayList<>();
    headers.forEach((k, v) -> h.add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
    byte[] value = record instanceof Write w ? w.toBytes() : null;
    return new ProducerRecord<>(topic, 0, key, value, h);
  }

  /** The reader thread: follows the topic from the beginning until closed. */
  private void read() {
    Backoff.Attempts failures = BACKOFF.attempts();
    while (running) {
      try (KafkaConsumer<byte[], byte[]> c = clients.consumer(topic + "-reader-unused")) {
        consumer = c;
        c.assign(List.of(partition));
        c.seek(partition, currentPosition());
        while (running) {
          for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
            apply(r);
          }
          advance(c.position(partition, writeTimeout));
          failures.succeeded();
        }
      } catch (WakeupException | InterruptException e) {
        if (running) {
          LOG.warn("The reader of {} was interrupted; it reads on", topic);
        }
      } catch (RuntimeException e) {
        if (!running) {
          break;
        }
        Duration delay = failures.failedDelay();
        LOG.warn("Cannot read {} ({}); again in {} ms", topic, e.toString(), delay.toMillis());
        pause(delay);
      } finally {
        consumer = null;
      }
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> r) {
    String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
    StoreRecord record;
    try {
      record = StoreRecord.parse(key, r.value(), headers(r));
    } catch (RuntimeException e) {
      LOG.warn("Skipped the record at offset {} of {}: {}", r.offset(), topic, e.getMessage());
      view.skip(r.offset(), key);
      advance(r.offset() + 1);
      return;
    }
    Decision d = view.apply(r.offset(), record);
    LOG.debug(
        "Offset {} of {}: {} of {} by {} {}",
        r.offset(),
        topic,
        record instanceof Write w ? w.op() : "tombstone",
        key,
        record.writer(),
        d instanceof Decision.Applied ? "applied" : "rejected");
    if (d instanceof Decision.Applied a && a.changed()) {
      ResourceId id = (a.after() != null ? a.after() : a.before()).id();
      notify(new Change(id, a.before(), a.after()));
    }
    advance(r.offset() + 1);
    CompletableFuture<Decision> waiting =
        pending.remove(record.writeId() == null ? "" : record.writeId());
    if (waiting != null) {
      waiting.complete(d);
    }
    if (caughtUp && writer.equals(record.writer()) && needsSettling(key)) {
      settleLater(key, Duration.ZERO);
    }
  }

  private void notify(Change change) {
    for (Consumer<Change> listener : listeners) {
      try {
        listener.accept(change);
      } catch (RuntimeException e) {
        LOG.warn(
            "A listener of the resource store failed on the change of {}: {}",
            change.id(),
            e.toString());
      }
    }
  }

  private boolean needsSettling(String key) {
    return view.settlement(key, writer, "", clock.instant()).isPresent();
  }

  private void settleLater(String key, Duration delay) {
    try {
      settler.schedule(() -> settle(key), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("Not settling {}: the store is closing", key);
    }
  }

  /** Appends restores or tombstones until the key's last record is an accepted one. */
  private void settle(String key) {
    long deadline = deadline();
    try {
      for (int i = 0; i < 10 && running; i++) {
        Optional<StoreRecord> next = view.settlement(key, writer, newId(), clock.instant());
        if (next.isEmpty()) {
          return;
        }
        write(next.get(), deadline);
      }
    } catch (StoreUnavailableException e) {
      if (running) {
        LOG.warn("Cannot settle the last write of {} yet: {}", key, e.getMessage());
        settleLater(key, BACKOFF.max());
      }
    }
  }

  private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> r) {
    Map<String, String> h = new HashMap<>();
    for (Header header : r.headers()) {
      if (header.value() != null) {
        h.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
      }
    }
    return h;
  }

  private void advance(long next) {
    synchronized (positionLock) {
      if (next > position) {
        position = next;
        positionLock.notifyAll();
      }
    }
  }

  private long currentPosition() {
    synchronized (positionLock) {
      return position;
    }
  }

  private void pause(Duration delay) {
    synchronized (positionLock) {
      long until = System.nanoTime() + delay.toNanos();
      try {
        for (long left = delay.toMillis(); running && left > 0; ) {
          positionLock.wait(left);
          left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private long deadline() {
    return clock.millis() + writeTimeout.toMillis();
  }

  private long remaining(long deadline) {
    return Math.max(0, deadline - clock.millis());
  }

  private StoreUnavailableException unavailable(String message, Throwable cause) {
    return new StoreUnavailableException(message, cause);
  }

  private static String newId() {
    return UUID.randomUUID().toString();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Stops reading and writing; waiting writes fail with {@link StoreUnavailableException}. */
  @Override
  public synchronized void close() {
    running = false;
    synchronized (positionLock) {
      positionLock.notifyAll();
    }
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    if (settler != null) {
      settler.shutdownNow();
    }
    if (reader != null && reader != Thread.currentThread()) {
      try {
        reader.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    pending
        .values()
        .forEach(f -> f.completeExceptionally(unavailable("The store is closed", null)));
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
  }
}
