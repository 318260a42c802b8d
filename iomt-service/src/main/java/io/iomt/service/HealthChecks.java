package io.iomt.service;

import io.iomt.pipeline.StageName;
import io.iomt.pipeline.StageStatus;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The health indicators, in three groups (application.yaml, docs/operations.md):
 *
 * <ul>
 *   <li>liveness: Spring Boot's own (the process is not wedged);
 *   <li>readiness ({@link #broker}, {@link #stages}): the service can accept ingest, i.e. the
 *       broker answers and no stage has failed. A FHIR outage blocks the writing stage but never
 *       makes the service unready: ingest keeps appending to the broker, and the backlog is written
 *       once FHIR is back;
 *   <li>delivery ({@link #broker}, {@link #fhir}, {@link #connectors}): whether measurements reach
 *       FHIR, for operators and alerts: every FHIR server and every stage with its reason.
 * </ul>
 *
 * Details (URLs, errors, stage messages) are shown only to callers with an API key; they never hold
 * user info of a URL nor a search value (a device or patient identifier): see {@link Redaction}.
 * Each indicator is thread-safe.
 */
final class HealthChecks {
  private HealthChecks() {}

  /** The broker: cluster id and node count within 5 s. */
  static HealthIndicator broker(KafkaRuntime kafka) {
    return new HealthIndicator() {
      private Admin admin;

      @Override
      public synchronized Health health() {
        try {
          if (admin == null) {
            admin = kafka.clients().admin();
          }
          var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5000));
          String id = cluster.clusterId().get(5, TimeUnit.SECONDS);
          int nodes = cluster.nodes().get(5, TimeUnit.SECONDS).size();
          return Health.up()
              .withDetail("embedded", kafka.isEmbedded())
              .withDetail("clusterId", id)
              .withDetail("nodes", nodes)
              .build();
        } catch (Exception e) {
          return Health.down()
              .withDetail("embedded", kafka.isEmbedded())
              .withDetail("error", Redaction.message(describe(e)))
              .build();
        }
      }
    };
  }

  /**
   * Every connector's FHIR server, as the runtime knows them now: {@code GET [base]/metadata} with
   * its credentials, 5 s.
   */
  static HealthIndicator fhir(Supplier<List<ServiceConfiguration.ConnectorDefinition>> connectors) {
    HttpClient http = fhirHttpClient();
    return () -> {
      Health.Builder b = Health.up();
      for (ServiceConfiguration.ConnectorDefinition d : connectors.get()) {
        FhirCheck check = fhir(http, d);
        if (!check.up()) {
          b.down();
        }
        b.withDetail(d.name(), check.detail());
      }
      return b.build();
    };
  }

  /** The client the FHIR checks share: 5 s to connect. */
  static HttpClient fhirHttpClient() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * One connector's FHIR server as the FHIR indicator shows it.
   *
   * @param up whether it answered {@code GET [base]/metadata} with a status below 300
   * @param detail {@code url} (without user info), and {@code status} (the HTTP status) or {@code
   *     error} (why there is none)
   */
  record FhirCheck(boolean up, Map<String, Object> detail) {}

  /** {@code GET [base]/metadata} of the connector's FHIR server with its credentials, 5 s. */
  static FhirCheck fhir(HttpClient http, ServiceConfiguration.ConnectorDefinition d) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("url", Redaction.url(d.destination().url()));
    FhirMetadata.Answer answer = FhirMetadata.get(http, d.destination(), Duration.ofSeconds(5));
    if (answer instanceof FhirMetadata.Answer.Status status) {
      detail.put("status", status.code());
      return new FhirCheck(status.code() < 300, detail);
    }
    Exception e =
        answer instanceof FhirMetadata.Answer.NoToken t
            ? t.error()
            : ((FhirMetadata.Answer.Unreachable) answer).error();
    detail.put("error", Redaction.message(describe(e)));
    return new FhirCheck(false, detail);
  }

  /**
   * Every stage of every connector, for the delivery group: DOWN while any stage is not running
   * (blocked by FHIR, failed, stopped), with its error, message and retry time.
   */
  static HealthIndicator connectors(Supplier<Map<String, Map<StageName, StageStatus>>> statuses) {
    return () -> {
      Health.Builder b = Health.up();
      for (var c : statuses.get().entrySet()) {
        Map<String, Object> stages = new LinkedHashMap<>();
        for (var s : c.getValue().entrySet()) {
          StageStatus status = s.getValue();
          if (!(status instanceof StageStatus.Running)
              && !(status instanceof StageStatus.Starting)) {
            b.down();
          }
          stages.put(s.getKey().id(), detail(status));
        }
        b.withDetail(c.getKey(), stages);
      }
      return b.build();
    };
  }

  /**
   * Readiness: DOWN only while a stage has failed (its thread died; the supervisor restarts it). A
   * stage blocked by an unreachable FHIR server keeps the service ready: ingest only needs the
   * broker. Details name the failed stages.
   */
  static HealthIndicator stages(Supplier<Map<String, Map<StageName, StageStatus>>> statuses) {
    return () -> {
      Health.Builder b = Health.up();
      for (var c : statuses.get().entrySet()) {
        Map<String, Object> failed = new LinkedHashMap<>();
        for (var s : c.getValue().entrySet()) {
          if (s.getValue() instanceof StageStatus.Failed) {
            failed.put(s.getKey().id(), detail(s.getValue()));
            b.down();
          }
        }
        if (!failed.isEmpty()) {
          b.withDetail(c.getKey(), failed);
        }
      }
      return b.build();
    };
  }

  /** A running stage as its state; any other with its reason, in a fixed order. */
  private static Object detail(StageStatus status) {
    // Ordered, so the JSON reads status, error, message, retry time (Map.of is unordered).
    Map<String, Object> detail = new LinkedHashMap<>();
    if (status instanceof StageStatus.Blocked bl) {
      detail.put("status", bl.state());
      detail.put("error", bl.errorName());
      detail.put("message", Redaction.message(bl.message()));
      detail.put("retryAt", bl.retryAt().toString());
    } else if (status instanceof StageStatus.Failed f) {
      detail.put("status", f.state());
      detail.put("error", f.errorName());
      detail.put("message", Redaction.message(f.message()));
      detail.put("retryAt", f.retryAt().toString());
    } else if (status instanceof StageStatus.Stopped st) {
      detail.put("status", st.state());
      detail.put("reason", Redaction.message(st.reason()));
    } else {
      return status.state();
    }
    return detail;
  }

  static String describe(Exception e) {
    String name = e.getClass().getSimpleName();
    if (e.getMessage() != null) {
      return name + ": " + e.getMessage();
    }
    return e instanceof java.net.ConnectException ? name + ": connection refused" : name;
  }
}
