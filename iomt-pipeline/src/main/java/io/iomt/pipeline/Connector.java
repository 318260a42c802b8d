package io.iomt.pipeline;

import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.envelope.MessageLimits;
import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.mapping.DeviceMapping;
import io.iomt.core.retry.Backoff;
import io.iomt.fhir.write.ObservationWriter;
import io.iomt.pipeline.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One running connector: its normalize stage and its group + convert stage, each on a thread of its
 * own, as members of the consumer groups {@code iomt-<name>-normalize} and {@code
 * iomt-<name>-group}. Start as many processes with the same settings as there are partitions to
 * share: Kafka spreads the partitions over them.
 *
 * <p>A stage that fails outside its own error handling (the broker refused a write, a commit failed
 * because the group rebalanced, any {@link Throwable}) is restarted with new clients by its {@link
 * StageSupervisor} after a backoff (1 s doubling to 30 s, full jitter); what it had not committed
 * is replayed, which the idempotent writes make harmless. Its {@link #status(StageName)} says
 * {@link StageStatus.Failed} with the error and the restart time in the meantime.
 */
public final class Connector implements AutoCloseable {
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

  /** How a failed stage is restarted: 1 s, doubling up to 30 s, with full jitter. */
  private static final Duration RESTART_INITIAL = Duration.ofSeconds(1);

  private static final Duration RESTART_MAX = Duration.ofSeconds(30);

  private final StageSupervisor normalize;
  private final StageSupervisor group;

  private final KafkaClients clients;

  private Connector(
      Settings settings, KafkaClients clients, StageSupervisor normalize, StageSupervisor group) {
    this.settings = settings;
    this.clients = clients;
    this.normalize = normalize;
    this.group = group;
  }

  /** Creates missing topics, then starts both stages, reading the source topic. */
  public static Connector start(
      Settings s,
      KafkaClients clients,
      Supplier<ObservationWriter> writers,
      StageMetrics metrics,
      Clock clock) {
    return start(s, clients, null, writers, metrics, clock);
  }

  /**
   * Creates missing topics, then starts both stages.
   *
   * @param externalSource opens the source the normalize stage reads, e.g. an Event Hub over AMQP,
   *     once per stage start (again after each failure); null to read the source topic of the
   *     connector's broker as a consumer group, in which case the source topic is created too
   */
  public static Connector start(
      Settings s,
      KafkaClients clients,
      Supplier<EventSource> externalSource,
      Supplier<ObservationWriter> writers,
      StageMetrics metrics,
      Clock clock) {
    List<KafkaClients.TopicSpec> topics = new ArrayList<>();
    if (externalSource == null) {
      topics.add(new KafkaClients.TopicSpec(s.topics().source(), s.partitions()));
    }
    topics.add(new KafkaClients.TopicSpec(s.topics().normalized(), s.partitions()));
    topics.add(new KafkaClients.TopicSpec(s.topics().errors(), 1));
    clients.ensureTopics(topics);
    Supplier<EventSource> sources =
        externalSource != null
            ? externalSource
            : () ->
                new KafkaEventSource(
                    clients.consumer(groupId(s.name(), StageName.NORMALIZE)), s.topics().source());
    Normalizer normalizer = new Normalizer(s.deviceMapping(), new EnvelopeReader(s.limits()));
    DeadLetters deadLetters = new DeadLetters(s.topics().errors(), clients.maxRequestSize());
    Backoff restarts = Backoff.of(RESTART_INITIAL, RESTART_MAX);
    StageSupervisor normalize =
        new StageSupervisor(
            "iomt-" + s.name() + "-normalize",
            status ->
                new NormalizeStage(
                    sources.get(),
                    clients.producer(),
                    normalizer,
                    deadLetters,
                    new NormalizeStage.Config(s.topics().normalized(), s.pollTimeout()),
                    metrics,
                    clock,
                    status),
            restarts,
            clock);
    ObservationWriter writer = writers.get();
    StageSupervisor group =
        new StageSupervisor(
            "iomt-" + s.name() + "-group",
            status ->
                new GroupStage(
                    clients.consumer(groupId(s.name(), StageName.GROUP)),
                    clients.producer(),
                    s.fhirMapping(),
                    writer,
                    deadLetters,
                    new GroupStage.Config(
                        s.topics().normalized(),
                        s.flush(),
                        s.pollTimeout(),
                        Backoff.of(s.initialBackoff(), s.maxBackoff())),
                    clock,
                    metrics,
                    status),
            restarts,
            clock);
    normalize.start();
    group.start();
    return new Connector(s, clients, normalize, group);
  }

  /** The consumer group of a connector's stage. */
  public static String groupId(String connector, StageName stage) {
    return "iomt-" + connector + "-" + stage.id();
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
    for (StageName stage : StageName.values()) {
      clients.leaveGroup(groupId(settings.name(), stage));
    }
  }
}
