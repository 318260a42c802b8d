package io.iomt.pipeline;

import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.envelope.MessageLimits;
import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.mapping.DeviceMapping;
import io.iomt.fhir.write.ObservationWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running connector: its normalize stage and its group + convert stage, each on a thread of its
 * own, as members of the consumer groups {@code iomt-<name>-normalize} and {@code
 * iomt-<name>-group}. Start as many processes with the same settings as there are partitions to
 * share: Kafka spreads the partitions over them.
 *
 * <p>A stage that fails outside its own error handling (the broker refused a write, a commit failed
 * because the group rebalanced) is restarted with new clients after a backoff (1 s doubling to 30
 * s); what it had not committed is replayed, which the idempotent writes make harmless. Its {@link
 * #status()} says {@link StageStatus.Blocked} with the error in the meantime.
 */
public final class Connector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Connector.class);

  /** The connector's three topics. */
  public record Topics(String source, String normalized, String errors) {}

  /** Everything a connector needs besides its clients. */
  public record Settings(
      String name,
      Topics topics,
      int partitions,
      DeviceMapping deviceMapping,
      FhirMapping fhirMapping,
      MessageLimits limits,
      FlushPolicy flush,
      Duration pollTimeout,
      Duration initialBackoff,
      Duration maxBackoff) {}

  private final Settings settings;
  private final Supervised normalize;
  private final Supervised group;

  private Connector(Settings settings, Supervised normalize, Supervised group) {
    this.settings = settings;
    this.normalize = normalize;
    this.group = group;
  }

  /** Creates missing topics, then starts both stages. */
  public static Connector start(
      Settings s,
      KafkaClients clients,
      Supplier<ObservationWriter> writers,
      StageMetrics metrics,
      Clock clock) {
    clients.ensureTopics(
        List.of(
            new KafkaClients.TopicSpec(s.topics().source(), s.partitions()),
            new KafkaClients.TopicSpec(s.topics().normalized(), s.partitions()),
            new KafkaClients.TopicSpec(s.topics().errors(), 1)));
    EnvelopeReader reader = new EnvelopeReader(s.limits());
    Supervised normalize =
        new Supervised(
            "iomt-" + s.name() + "-normalize",
            producer ->
                new NormalizeStage(
                    clients.consumer(groupId(s.name(), "normalize")),
                    producer,
                    s.deviceMapping(),
                    reader,
                    new NormalizeStage.Config(
                        s.topics().source(),
                        s.topics().normalized(),
                        s.topics().errors(),
                        s.pollTimeout()),
                    metrics),
            clients);
    ObservationWriter writer = writers.get();
    Supervised group =
        new Supervised(
            "iomt-" + s.name() + "-group",
            producer ->
                new GroupStage(
                    clients.consumer(groupId(s.name(), "group")),
                    producer,
                    s.fhirMapping(),
                    writer,
                    new GroupStage.Config(
                        s.topics().normalized(),
                        s.topics().errors(),
                        s.flush(),
                        s.pollTimeout(),
                        s.initialBackoff(),
                        s.maxBackoff()),
                    clock,
                    metrics),
            clients);
    normalize.start();
    group.start();
    return new Connector(s, normalize, group);
  }

  /** The consumer group of a connector's stage. */
  public static String groupId(String connector, String stage) {
    return "iomt-" + connector + "-" + stage;
  }

  public Settings settings() {
    return settings;
  }

  /** What one of the stages is doing now. */
  public StageStatus status(StageName stage) {
    return switch (stage) {
      case NORMALIZE -> normalize.status();
      case GROUP -> group.status();
    };
  }

  /** Stops both stages, waiting for their current poll or flush to end. */
  @Override
  public void close() {
    normalize.close();
    group.close();
    normalize.join();
    group.join();
  }

  /** A stage on its own thread, restarted with new clients when it fails. */
  private static final class Supervised {
    private interface Factory {
      Stage create(KafkaProducer<byte[], byte[]> producer);
    }

    private final Thread thread;
    private final Factory factory;
    private final KafkaClients clients;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile Stage current;
    private volatile StageStatus failure;

    Supervised(String name, Factory factory, KafkaClients clients) {
      this.factory = factory;
      this.clients = clients;
      this.thread = new Thread(this::loop, name);
    }

    void start() {
      thread.start();
    }

    StageStatus status() {
      if (closed) {
        return new StageStatus.Stopped("closed");
      }
      StageStatus f = failure;
      if (f != null) {
        return f;
      }
      Stage c = current;
      return c == null ? new StageStatus.Starting() : c.status();
    }

    private void loop() {
      long backoffMs = 1000;
      while (!closed) {
        try (KafkaProducer<byte[], byte[]> producer = clients.producer()) {
          Stage stage = factory.create(producer);
          current = stage;
          if (closed) {
            return;
          }
          failure = null;
          stage.run();
          backoffMs = 1000;
        } catch (RuntimeException e) {
          if (closed) {
            return;
          }
          Instant retry = Instant.now().plusMillis(backoffMs);
          failure =
              new StageStatus.Blocked(
                  e.getClass().getSimpleName(), String.valueOf(e.getMessage()), retry);
          LOG.warn(
              "{} failed; restarting in {} ms (uncommitted records are replayed)",
              thread.getName(),
              backoffMs,
              e);
          try {
            if (closing.await(backoffMs, TimeUnit.MILLISECONDS)) {
              return;
            }
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
          }
          backoffMs = Math.min(backoffMs * 2, 30_000);
        }
      }
    }

    void close() {
      closed = true;
      closing.countDown();
      Stage c = current;
      if (c != null) {
        c.close();
      }
    }

    void join() {
      try {
        thread.join(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
