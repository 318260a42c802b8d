package io.iomt.service.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every connector's throughput and lag over the last hour on this replica, for the console's
 * charts: every {@code interval} it reads each running connector's counters and lag and keeps, per
 * connector, one {@link Point} per interval in a ring of {@code 1 h / interval} points (360 at the
 * default 10 s), so memory is bounded. Rates are per second between two samples (the first sample
 * of a connector only sets the baseline); a counter that went down (the connector was removed and
 * made again, its meters restarting from zero) counts from zero. A connector that no longer runs
 * (removed through the management API) is dropped at the next sample.
 *
 * <p>Lifecycle: {@link #start()} schedules the sampling on a daemon thread of its own, {@link
 * #close()} stops it (with the application context). Time comes from the injected clock; tests call
 * {@link #sample()} themselves. Thread-safe: sampling and reading may run at once.
 */
public final class ConnectorHistory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectorHistory.class);

  /** How far back the history goes. */
  static final Duration KEPT = Duration.ofHours(1);

  /**
   * What is sampled of one connector: its counters since start and its lag (null where not known).
   */
  record Reading(
      long messages,
      long measurements,
      long observations,
      long errors,
      Long lagNormalize,
      Long lagGroup) {}

  /**
   * One point of a connector's history, as the console's API answers it.
   *
   * @param time when the sample was taken (ISO-8601 instant)
   * @param lagNormalize records of the source not yet committed by the normalize stage; null when
   *     not known
   * @param lagGroup the same for the group stage and the normalized topic
   */
  public record Point(
      String time,
      double messagesPerSecond,
      double measurementsPerSecond,
      double observationsPerSecond,
      double errorsPerSecond,
      Long lagNormalize,
      Long lagGroup) {}

  private final Clock clock;
  private final Duration interval;
  private final int capacity;
  private final Supplier<? extends Collection<String>> connectors;
  private final Function<String, Reading> reader;
  private final Map<String, Series> series = new ConcurrentHashMap<>();
  private ScheduledExecutorService executor;

  /**
   * @param interval time between samples, at least 1 ms; the ring holds {@code 1 h / interval}
   *     points
   * @param connectors the names of the connectors that run now (called at each sample)
   * @param reader a connector's counters and lag now; thread-safe, must not block long
   */
  ConnectorHistory(
      Clock clock,
      Duration interval,
      Supplier<? extends Collection<String>> connectors,
      Function<String, Reading> reader) {
    if (interval.toMillis() < 1) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
    this.clock = clock;
    this.interval = interval;
    this.capacity = (int) Math.max(1, KEPT.toMillis() / interval.toMillis());
    this.connectors = connectors;
    this.reader = reader;
  }

  /** Starts sampling every interval; once. */
  public synchronized void start() {
    if (executor != null) {
      return;
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "iomt-console-history");
              t.setDaemon(true);
              return t;
            });
    executor.scheduleAtFixedRate(this::sampleLogged, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops sampling; what was sampled stays readable. */
  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  private void sampleLogged() {
    try {
      sample();
    } catch (RuntimeException e) { // never ends the schedule
      LOG.warn("Connector history not sampled: {}", e.toString());
    }
  }

  /**
   * Samples every running connector now and drops the history of those that no longer run. A
   * connector whose reading fails keeps its history and is sampled again next time.
   */
  void sample() {
    Instant now = clock.instant();
    Set<String> running = Set.copyOf(connectors.get());
    series.keySet().retainAll(running);
    for (String name : running) {
      Reading reading;
      try {
        reading = reader.apply(name);
      } catch (RuntimeException e) {
        LOG.debug("Connector {} not sampled: {}", name, e.toString());
        continue;
      }
      series.computeIfAbsent(name, n -> new Series(capacity)).add(now, reading);
    }
  }

  /** The connector's points, oldest first; empty when it has none (yet). */
  List<Point> points(String connector) {
    return Optional.ofNullable(series.get(connector)).map(s -> s.ring.toList()).orElse(List.of());
  }

  /** The time between samples. */
  Duration interval() {
    return interval;
  }

  /** How many points a connector's history holds at most. */
  int capacity() {
    return capacity;
  }

  /** Whether a history is kept for the connector (it was sampled and still runs). */
  boolean tracks(String connector) {
    return series.containsKey(connector);
  }

  /** One connector's ring and the reading the next rates are computed from. */
  private static final class Series {
    final HistoryRing<Point> ring;
    private Reading last;
    private Instant lastTime;

    Series(int capacity) {
      ring = new HistoryRing<>(capacity);
    }

    synchronized void add(Instant now, Reading r) {
      if (last != null) {
        long millis = Duration.between(lastTime, now).toMillis();
        if (millis <= 0) {
          return; // the clock did not move: no rate to compute, keep the older baseline
        }
        double seconds = millis / 1000.0;
        ring.add(
            new Point(
                now.toString(),
                rate(last.messages(), r.messages(), seconds),
                rate(last.measurements(), r.measurements(), seconds),
                rate(last.observations(), r.observations(), seconds),
                rate(last.errors(), r.errors(), seconds),
                r.lagNormalize(),
                r.lagGroup()));
      }
      last = r;
      lastTime = now;
    }

    private static double rate(long before, long now, double seconds) {
      long delta = now >= before ? now - before : now; // went down: the counter restarted at zero
      return delta / seconds;
    }
  }
}
