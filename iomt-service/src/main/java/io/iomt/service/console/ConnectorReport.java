package io.iomt.service.console;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One connector as {@code GET /api/console/connectors} shows it (docs/console.md). Holds no secret:
 * URLs without user info and query, messages through {@code Redaction}. Immutable.
 *
 * @param origin {@code configuration} (the configuration file) or {@code management} (made through
 *     the management API)
 * @param errorsByName this replica's errors by MedTech error name, sorted by name
 * @param lag per stage id ({@code normalize}, {@code group}, {@code forward-errors}), records not
 *     yet committed; null where not measured yet
 */
public record ConnectorReport(
    String name,
    String origin,
    Source source,
    Fhir fhir,
    List<Stage> stages,
    Totals totals,
    Map<String, Long> errorsByName,
    Map<String, Long> lag) {

  /**
   * @param type {@code kafka} (the source topic, where HTTP ingest appends too) or {@code
   *     event-hubs}
   * @param topic the source topic; for Event Hubs {@code namespace/hub (consumer group)}
   * @param health {@code UP}, {@code DOWN} or {@code UNKNOWN}
   */
  public record Source(String type, String topic, String health, String detail) {}

  /**
   * @param url the FHIR server's base URL without user info, query and fragment
   */
  public record Fhir(String url, String health, String detail) {}

  /**
   * A stage; {@code error}, {@code message} and {@code retryAt} only where they apply (blocked and
   * failed; a stopped stage has its reason as {@code message}).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Stage(String name, String state, String error, String message, String retryAt) {}

  /** This replica's counters since it started. */
  public record Totals(
      long messages,
      long measurements,
      long observationsCreated,
      long observationsUpdated,
      long deadLetters) {}
}
