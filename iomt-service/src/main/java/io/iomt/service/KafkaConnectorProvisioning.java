package io.iomt.service;

import io.iomt.azure.AzureCredential;
import io.iomt.azure.eventhubs.EventHubsSourceAdmin;
import io.iomt.core.error.CheckpointStoreUnavailableException;
import io.iomt.core.error.EventHubNotFoundException;
import io.iomt.core.error.EventSourceException;
import io.iomt.core.error.UnauthorizedAccessEventHubException;
import io.iomt.pipeline.Connector;
import io.iomt.pipeline.KafkaClients;
import io.iomt.pipeline.StageName;
import io.iomt.service.ServiceConfiguration.ConnectorDefinition;
import io.iomt.service.management.ConnectorProvisioning;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ConnectorProvisioning} on the service's broker: internal topics through {@link
 * KafkaClients}, Event Hubs checkpoints through iomt-azure's {@link EventHubsSourceAdmin}, and the
 * FHIR server checked with {@code GET [base]/metadata} as the health check does. Messages name
 * topics, hubs, containers and URLs (without user info), never a secret. Thread-safe; each call
 * uses clients of its own.
 */
public final class KafkaConnectorProvisioning implements ConnectorProvisioning {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaConnectorProvisioning.class);
  private static final Duration POLL = Duration.ofMillis(500);

  private final KafkaClients clients;
  private final Supplier<AzureCredential> azureCredential;
  private final Duration timeout;
  private final Duration drainTimeout;
  private final Clock clock;
  private final HttpClient http;

  /**
   * @param azureCredential the shared Azure credential, asked for only by Event Hubs sources that
   *     have no SAS connection strings
   * @param timeout the longest each check may take (the broker's answers, the hub, the storage, the
   *     FHIR server)
   * @param drainTimeout how long {@link #deprovision} waits for the connector's stages to stop on
   *     every replica
   */
  public KafkaConnectorProvisioning(
      KafkaClients clients,
      Supplier<AzureCredential> azureCredential,
      Duration timeout,
      Duration drainTimeout,
      Clock clock) {
    this.clients = clients;
    this.azureCredential = azureCredential;
    this.timeout = timeout;
    this.drainTimeout = drainTimeout;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public void provision(ConnectorDefinition d) {
    List<KafkaClients.TopicSpec> topics = Connector.topics(d.settings(), d.readsSourceTopic());
    try {
      clients.ensureTopics(topics);
    } catch (RuntimeException e) {
      throw new ProvisioningException(
          "BrokerUnavailable",
          "The topics of connector " + d.name() + " could not be made: " + e.getMessage(),
          e);
    }
    awaitLeaders(d, topics.stream().map(KafkaClients.TopicSpec::name).toList());
    if (d.eventHubs() != null) {
      EventHubsSourceAdmin source = new EventHubsSourceAdmin(eventHubs(d), timeout);
      try {
        source.ensureCheckpointContainer();
        source.probeHub();
      } catch (EventSourceException e) {
        throw sourceFailure(e);
      }
    }
    checkFhir(d);
    LOG.info("Connector {} provisioned", d.name());
  }

  /** Waits until every partition of the topics has a leader: made is not yet served. */
  private void awaitLeaders(ConnectorDefinition d, List<String> topics) {
    Instant deadline = clock.instant().plus(timeout);
    String missing;
    try (Admin admin = clients.admin()) {
      while (true) {
        missing = leaderless(admin, topics);
        if (missing == null) {
          return;
        }
        if (!clock.instant().isBefore(deadline)) {
          break;
        }
        pause();
      }
    }
    throw new ProvisioningException(
        "BrokerUnavailable",
        "The topics of connector "
            + d.name()
            + " are not served yet after "
            + timeout.toSeconds()
            + " s: "
            + missing,
        null);
  }

  /** What is not served yet, or null when every partition has a leader. */
  private String leaderless(Admin admin, List<String> topics) {
    try {
      Map<String, TopicDescription> described =
          admin
              .describeTopics(
                  topics, new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis()))
              .allTopicNames()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      for (TopicDescription t : described.values()) {
        if (t.partitions().stream().anyMatch(p -> p.leader() == null || p.leader().isEmpty())) {
          return "topic " + t.name() + " has a partition without a leader";
        }
      }
      return null;
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private ProvisioningException sourceFailure(EventSourceException e) {
    String code =
        e instanceof UnauthorizedAccessEventHubException
            ? "SourceUnauthorized"
            : e instanceof EventHubNotFoundException
                ? "EventHubNotFound"
                : e instanceof CheckpointStoreUnavailableException
                    ? "CheckpointStoreUnavailable"
                    : "SourceUnreachable";
    return new ProvisioningException(code, e.getMessage(), e);
  }

  private void checkFhir(ConnectorDefinition d) {
    String url = Redaction.url(d.destination().url());
    FhirMetadata.Answer answer = FhirMetadata.get(http, d.destination(), timeout);
    if (answer instanceof FhirMetadata.Answer.Status status) {
      int code = status.code();
      if (code == 401 || code == 403) {
        throw new ProvisioningException(
            "FhirServerUnauthorized",
            "The FHIR server "
                + url
                + " refused the connector's credentials (HTTP "
                + code
                + " to GET metadata)",
            null);
      }
      if (code >= 300) {
        throw new ProvisioningException(
            "FhirServerUnreachable",
            "The FHIR server "
                + url
                + " answered HTTP "
                + code
                + " to GET metadata: is this the base URL of a FHIR server?",
            null);
      }
    } else if (answer instanceof FhirMetadata.Answer.NoToken t) {
      throw new ProvisioningException(
          "FhirServerUnauthorized",
          "No token for the FHIR server "
              + url
              + ": "
              + Redaction.message(HealthChecks.describe(t.error())),
          t.error());
    } else if (answer instanceof FhirMetadata.Answer.Unreachable u) {
      throw new ProvisioningException(
          "FhirServerUnreachable",
          "The FHIR server "
              + url
              + " cannot be reached: "
              + Redaction.message(HealthChecks.describe(u.error())),
          u.error());
    }
  }

  @Override
  public void deprovision(ConnectorDefinition d) {
    List<String> groups = new ArrayList<>();
    for (StageName stage : StageName.values()) {
      groups.add(Connector.groupId(d.name(), stage));
    }
    List<String> topics = new ArrayList<>();
    if (d.readsSourceTopic() && d.settings().topics().source().equals(d.name() + "-events")) {
      // the topic ingest appends to, made for the connector; a topic it was pointed at
      // (source.topic) belongs to whoever produces into it and stays
      topics.add(d.settings().topics().source());
    }
    topics.add(d.settings().topics().normalized());
    topics.add(d.settings().topics().errors());
    try (Admin admin = clients.admin()) {
      awaitEmpty(admin, d, groups);
      for (var e : admin.deleteConsumerGroups(groups).deletedGroups().entrySet()) {
        await(e.getValue(), "delete consumer group " + e.getKey());
      }
      for (var e : admin.deleteTopics(topics).topicNameValues().entrySet()) {
        await(e.getValue(), "delete topic " + e.getKey());
      }
    }
    if (d.eventHubs() != null) {
      try {
        int deleted = new EventHubsSourceAdmin(eventHubs(d), timeout).deleteCheckpoints();
        LOG.info("Connector {}: {} checkpoint and ownership blobs deleted", d.name(), deleted);
      } catch (EventSourceException e) {
        throw sourceFailure(e);
      }
    }
    LOG.info(
        "Connector {} deprovisioned: topics {} and its consumer groups deleted", d.name(), topics);
  }

  /** Waits until no replica is a member of the connector's consumer groups. */
  private void awaitEmpty(Admin admin, ConnectorDefinition d, List<String> groups) {
    Instant deadline = clock.instant().plus(drainTimeout);
    Map<String, Integer> members;
    while (true) {
      members = members(admin, groups);
      if (members.isEmpty()) {
        return;
      }
      if (!clock.instant().isBefore(deadline)) {
        break;
      }
      pause();
    }
    throw new ProvisioningException(
        "ConnectorStillRunning",
        "Connector "
            + d.name()
            + " still runs after "
            + drainTimeout.toSeconds()
            + " s (members per consumer group: "
            + members
            + "); its topics are kept",
        null);
  }

  /** Members per group that has any; a group that does not exist has none. */
  private Map<String, Integer> members(Admin admin, List<String> groups) {
    Map<String, Integer> out = new TreeMap<>();
    var described =
        admin
            .describeConsumerGroups(
                groups, new DescribeConsumerGroupsOptions().timeoutMs((int) timeout.toMillis()))
            .describedGroups();
    for (var e : described.entrySet()) {
      try {
        ConsumerGroupDescription g = e.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!g.members().isEmpty()) {
          out.put(e.getKey(), g.members().size());
        }
      } catch (ExecutionException ex) {
        if (!(ex.getCause() instanceof GroupIdNotFoundException)) {
          throw brokerFailure("describe consumer group " + e.getKey(), ex.getCause());
        }
      } catch (TimeoutException ex) {
        throw brokerFailure("describe consumer group " + e.getKey(), ex);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw brokerFailure("describe consumer group " + e.getKey(), ex);
      }
    }
    return out;
  }

  /** Waits for one deletion; what is already gone is fine. */
  private void await(KafkaFuture<Void> deletion, String what) {
    try {
      deletion.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof GroupNotEmptyException) {
        throw new ProvisioningException(
            "ConnectorStillRunning",
            "Cannot " + what + ": a replica joined it again (" + cause.getMessage() + ")",
            cause);
      }
      if (!(cause instanceof GroupIdNotFoundException)
          && !(cause instanceof UnknownTopicOrPartitionException)) {
        throw brokerFailure(what, cause);
      }
    } catch (TimeoutException e) {
      throw brokerFailure(what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw brokerFailure(what, e);
    }
  }

  private ProvisioningException brokerFailure(String what, Throwable cause) {
    return new ProvisioningException(
        "BrokerUnavailable",
        "The broker did not "
            + what
            + ": "
            + (cause instanceof TimeoutException
                ? "no answer in " + timeout.toSeconds() + " s"
                : cause.getClass().getSimpleName() + ": " + cause.getMessage()),
        cause);
  }

  private io.iomt.azure.eventhubs.EventHubsSourceSettings eventHubs(ConnectorDefinition d) {
    try {
      return d.eventHubs().settings(azureCredential);
    } catch (RuntimeException e) {
      throw new ProvisioningException(
          "SourceUnauthorized",
          "No credential for the event hub " + d.sourceDescription() + ": " + e.getMessage(),
          e);
    }
  }

  private void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProvisioningException("BrokerUnavailable", "Interrupted while waiting", e);
    }
  }
}
