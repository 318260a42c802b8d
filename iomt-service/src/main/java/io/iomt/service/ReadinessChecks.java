package io.iomt.service;

import io.iomt.pipeline.StageStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * What readiness depends on: the broker answers, every connector's FHIR server answers {@code GET
 * /metadata}, and no stage is blocked. Liveness stays Spring Boot's own (the process is not
 * wedged), so an outage makes the pod unready, never restarted.
 */
final class ReadinessChecks {
  private ReadinessChecks() {}

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
              .withDetail("error", describe(e))
              .build();
        }
      }
    };
  }

  /** Every connector's FHIR server: {@code GET [base]/metadata} with its credentials, 5 s. */
  static HealthIndicator fhir(ServiceConfiguration config) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return () -> {
      Health.Builder b = Health.up();
      for (ServiceConfiguration.ConnectorDefinition d : config.connectors()) {
        URI base = d.destination().url();
        String url = base.toString().endsWith("/") ? base + "metadata" : base + "/metadata";
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("url", base.toString());
        try {
          HttpRequest.Builder req =
              HttpRequest.newBuilder(URI.create(url))
                  .timeout(Duration.ofSeconds(5))
                  .header("Accept", "application/fhir+json");
          d.destination()
              .tokens()
              .token()
              .ifPresent(t -> req.header("Authorization", "Bearer " + t));
          int status = http.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
          detail.put("status", status);
          if (status >= 300) {
            b.down();
          }
        } catch (Exception e) {
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
          detail.put("error", describe(e));
          b.down();
        }
        b.withDetail(d.name(), detail);
      }
      return b.build();
    };
  }

  /** Every stage of every connector: running, or blocked/stopped with the error and retry time. */
  static HealthIndicator connectors(ConnectorRuntime runtime) {
    return () -> {
      Health.Builder b = Health.up();
      for (var c : runtime.statuses().entrySet()) {
        Map<String, Object> stages = new LinkedHashMap<>();
        for (var s : c.getValue().entrySet()) {
          StageStatus status = s.getValue();
          if (status instanceof StageStatus.Blocked bl) {
            // Ordered, so the JSON reads status, error, message, retry time (Map.of is unordered).
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("status", "blocked");
            detail.put("error", bl.errorName());
            detail.put("message", bl.message());
            detail.put("retryAt", bl.retryAt().toString());
            stages.put(s.getKey().id(), detail);
            b.down();
          } else if (status instanceof StageStatus.Stopped st) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("status", "stopped");
            detail.put("reason", st.reason());
            stages.put(s.getKey().id(), detail);
            b.down();
          } else {
            stages.put(s.getKey().id(), status.state());
          }
        }
        b.withDetail(c.getKey(), stages);
      }
      return b.build();
    };
  }

  private static String describe(Exception e) {
    String name = e.getClass().getSimpleName();
    if (e.getMessage() != null) {
      return name + ": " + e.getMessage();
    }
    return e instanceof java.net.ConnectException ? name + ": connection refused" : name;
  }
}
