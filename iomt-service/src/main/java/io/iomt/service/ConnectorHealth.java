package io.iomt.service;

import io.iomt.pipeline.StageStatus;
import io.iomt.service.ServiceConfiguration.ConnectorDefinition;
import java.net.http.HttpClient;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * The health of one connector's FHIR server and source, computed as the health indicators compute
 * them ({@link HealthChecks}), for pages that show one connector at a time (the web console):
 *
 * <ul>
 *   <li>FHIR: {@code GET [base]/metadata} with the connector's credentials, UP below HTTP 300 (the
 *       {@code fhir} indicator's check);
 *   <li>a Kafka source (its source topic, where HTTP ingest also appends): the broker, as the
 *       {@code broker} indicator sees it;
 *   <li>an Event Hubs source: its normalize stage, which holds the Event Hubs client: UP while it
 *       runs, DOWN while it is blocked or failed (with the error), UNKNOWN while it starts or is
 *       stopped.
 * </ul>
 *
 * Each check asks the server at the time of the call (at most 5 s each). Details never hold user
 * info of a URL, a query value nor a key ({@link Redaction}). Thread-safe.
 */
public final class ConnectorHealth {
  /** A component's health as a page shows it. */
  public enum State {
    UP,
    DOWN,
    UNKNOWN
  }

  /**
   * One check's result.
   *
   * @param state never null
   * @param detail what a person needs to read the state (HTTP status, error), no secret; never null
   */
  public record Check(State state, String detail) {}

  private final HttpClient http = HealthChecks.fhirHttpClient();
  private final HealthIndicator broker;

  /**
   * @param broker the broker's health indicator ({@link HealthChecks#broker})
   */
  public ConnectorHealth(HealthIndicator broker) {
    this.broker = broker;
  }

  /** The connector's FHIR server: asked now. */
  public Check fhir(ConnectorDefinition d) {
    HealthChecks.FhirCheck check = HealthChecks.fhir(http, d);
    Object status = check.detail().get("status");
    String detail =
        status != null
            ? "GET metadata: HTTP " + status
            : String.valueOf(check.detail().get("error"));
    return new Check(check.up() ? State.UP : State.DOWN, detail);
  }

  /**
   * The connector's source: the broker for a source topic (asked now), the normalize stage's state
   * for an Event Hubs source.
   */
  public Check source(ConnectorDefinition d, StageStatus normalize) {
    if (d.readsSourceTopic()) {
      return broker();
    }
    String hub = d.sourceDescription();
    if (normalize instanceof StageStatus.Running) {
      return new Check(State.UP, hub + ": receiving");
    }
    if (normalize instanceof StageStatus.Blocked b) {
      return new Check(
          State.DOWN, hub + ": " + b.errorName() + ": " + Redaction.message(b.message()));
    }
    if (normalize instanceof StageStatus.Failed f) {
      return new Check(
          State.DOWN, hub + ": " + f.errorName() + ": " + Redaction.message(f.message()));
    }
    return new Check(State.UNKNOWN, hub + ": normalize stage " + normalize.state());
  }

  private Check broker() {
    Health h = broker.health();
    Map<String, Object> details = h.getDetails();
    String what = Boolean.TRUE.equals(details.get("embedded")) ? "embedded broker" : "broker";
    if (Status.UP.equals(h.getStatus())) {
      return new Check(State.UP, what + ", " + details.get("nodes") + " node(s)");
    }
    Object error = details.get("error");
    return new Check(State.DOWN, what + (error == null ? "" : ": " + error));
  }
}
