package io.iomt.pipeline;

import io.iomt.core.envelope.EnvelopeReader;
import io.iomt.core.envelope.MessageLimits;
import io.iomt.core.fhirmapping.FhirMapping;
import io.iomt.core.mapping.DeviceMapping;
import io.iomt.core.retry.Backoff;
import io.iomt.fhir.write.ObservationWriter;
import io.iomt.pipeline.deadletter.DeadLetterForwardStage;
import io.iomt.pipeline.deadletter.DeadLetterSink;
import io.iomt.pipeline.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>Where a dead-letter destination is configured, a third stage ({@link
 * StageName#FORWARD_ERRORS}, consumer group {@code iomt-<name>-forward-errors}) copies the error
 * topic to it; the error topic stays the durable first stop, and the other stages never wait for
 * the destination.
 */
public final class Connector implements AutoCloseable {
  /** The connector's three topics. */
  public record Topics(String source, String normalized, String errors) {}

  /**
   * Everything a connector needs besides its clients.
   *
   * @param flush when a partition is written, and the bytes the group stage buffers at most
   * @param maxConcurrentWrites flushes (hence FHIR requests) the group stage has in flight at once
   */
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
      Duration maxBackoff,
      int maxConcurrentWrites) {
    /** Settings with {@value GroupStage#DEFAULT_MAX_CONCURRENT_WRITES} writes in flight. */
    public Settings(
        String name,
        Topics topics,
        int partitions,
        DeviceMapping deviceMapping,
        FhirMapping fhirMapping,
        MessageLimits limits,
        FlushPolicy flush,
        Duration pollTimeout,
        Duration initialBackoff,
        Duration maxBackoff) {
      this(
          name,
          topics,
          partitions,
          deviceMapping,
          fhirMapping,
          limits,
          flush,
          pollTimeout,
          initialBackoff,
          maxBackoff,
          GroupStage.DEFAULT_MAX_CONCURRENT_WRITES);
    }
  }

  private final Settings settings;

  /** How a failed stage is restarted: 1 s, doubling up to 30 s, with full jitter. */
  private static final Duration RESTART_INITIAL = Duration.ofSeconds(1);

  private static final Duration RESTART_MAX = Duration.ofSeconds(30);

  /** The supervisors of the stages this connector runs, in {@link StageName} order. */
  private final Map<StageName, StageSupervisor> stages;

  private final KafkaClients clients;

  private Connector(
      Settings settings, KafkaClients clients, Map<StageName, StageSupervisor> stages) {
    this.settings = settings;
    this.clients = clients;
    this.stages = stages;
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
    return start(s, clients, externalSource, writers, null, metrics, clock);
  }

  /**
   * Creates missing topics, then starts the stages.
   *
   * @param externalSource as in {@link #start(Settings, KafkaClients, Supplier, Supplier,
   *     StageMetrics, Clock)}; null for the source topic
   * @param deadLetterSinks opens the destination the dead letters are forwarded to, once per start
   *     of the forwarding stage (again after each failure); null to forward nothing, in which case
   *     the connector has no {@link StageName#FORWARD_ERRORS} stage
   */
  public static Connector start(
      Settings s,
      KafkaClients clients,
      Supplier<EventSource> externalSource,
      Supplier<ObservationWriter> writers,
      Supplier<DeadLetterSink> deadLetterSinks,
      StageMetrics metrics,
      Clock clock) {
    clients.ensureTopics(topics(s, externalSource == null));
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
                        Backoff.of(s.initialBackoff(), s.maxBackoff()),
                        s.maxConcurrentWrites(),
                        "iomt-" + s.name() + "-group"),
                    clock,
                    metrics,
                    status),
            restarts,
            clock);
    Map<StageName, StageSupervisor> stages = new EnumMap<>(StageName.class);
    stages.put(StageName.NORMALIZE, normalize);
    stages.put(StageName.GROUP, group);
    if (deadLetterSinks != null) {
      stages.put(
          StageName.FORWARD_ERRORS,
          new StageSupervisor(
              "iomt-" + s.name() + "-forward-errors",
              status -> forwarder(s, clients, deadLetterSinks, metrics, status),
              restarts,
              clock));
    }
    stages.values().forEach(StageSupervisor::start);
    return new Connector(s, clients, stages);
  }

  /**
   * The topics a connector needs, as {@link #start} creates them when missing: its source topic
   * (only when it reads one) and its normalized topic with the connector's partitions, its error
   * topic with one.
   */
  public static List<KafkaClients.TopicSpec> topics(Settings s, boolean readsSourceTopic) {
    List<KafkaClients.TopicSpec> topics = new ArrayList<>();
    if (readsSourceTopic) {
      topics.add(new KafkaClients.TopicSpec(s.topics().source(), s.partitions()));
    }
    topics.add(new KafkaClients.TopicSpec(s.topics().normalized(), s.partitions()));
    topics.add(new KafkaClients.TopicSpec(s.topics().errors(), 1));
    return topics;
  }

  /** A forwarding stage with a new sink and a new consumer of the error topic. */
  private static Stage forwarder(
      Settings s,
      KafkaClients clients,
      Supplier<DeadLetterSink> sinks,
      StageMetrics metrics,
      StatusHolder status) {
    DeadLetterSink sink = sinks.get();
    try {
      return new DeadLetterForwardStage(
          new KafkaEventSource(
              clients.consumer(groupId(s.name(), StageName.FORWARD_ERRORS)), s.topics().errors()),
          sink,
          new DeadLetterForwardStage.Config(s.name(), s.pollTimeout()),
          metrics,
          status);
    } catch (RuntimeException e) {
      sink.close();
      throw e;
    }
  }

  /** The consumer group of a connector's stage. */
  public static String groupId(String connector, StageName stage) {
    return "iomt-" + connector + "-" + stage.id();
  }

  public Settings settings() {
    return settings;
  }

  /**
   * The stages this connector runs, in order: normalize and group, and forward-errors where a
   * dead-letter destination is configured. Health and metrics list these, and only these.
   */
  public List<StageName> stages() {
    return List.copyOf(stages.keySet());
  }

  /** What one of the stages is doing now; {@code Stopped("not configured")} for one not run. */
  public StageStatus status(StageName stage) {
    StageSupervisor supervisor = stages.get(stage);
    return supervisor == null ? new StageStatus.Stopped("not configured") : supervisor.status();
  }

  /** Stops the stages, waiting for their current poll, flush or send to end. */
  @Override
  public void close() {
    stages.values().forEach(StageSupervisor::close);
    stages.values().forEach(StageSupervisor::join);
    for (StageName stage : stages.keySet()) {
      clients.leaveGroup(groupId(settings.name(), stage));
    }
  }
}
