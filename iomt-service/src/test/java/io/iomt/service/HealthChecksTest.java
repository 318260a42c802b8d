package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.pipeline.StageName;
import io.iomt.pipeline.StageStatus;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

class HealthChecksTest {
  private static final Instant RETRY = Instant.parse("2026-03-01T10:00:00Z");

  private static Map<String, Map<StageName, StageStatus>> statuses(
      StageStatus normalize, StageStatus group) {
    Map<StageName, StageStatus> stages = new EnumMap<>(StageName.class);
    stages.put(StageName.NORMALIZE, normalize);
    stages.put(StageName.GROUP, group);
    Map<String, Map<StageName, StageStatus>> out = new LinkedHashMap<>();
    out.put("icu", stages);
    return out;
  }

  @Test
  void aStageBlockedByFhirKeepsReadinessUpAndTakesDeliveryDownWithoutIdentifiers() {
    var blocked =
        statuses(
            new StageStatus.Running(),
            new StageStatus.Blocked(
                "FhirServiceUnavailableException",
                "The FHIR server https://u:pw@fhir.example/r4/ is unavailable: GET"
                    + " Device?identifier=urn%3Asys%7Cmonitor-17&_count=2 failed 6 times",
                RETRY));

    Health ready = HealthChecks.stages(() -> blocked).health();
    Health delivery = HealthChecks.connectors(() -> blocked).health();

    assertThat(ready.getStatus()).isEqualTo(Status.UP);
    assertThat(ready.getDetails()).isEmpty();
    assertThat(delivery.getStatus()).isEqualTo(Status.DOWN);
    assertThat(delivery.getDetails().get("icu"))
        .hasToString(
            "{normalize=running, group={status=blocked, error=FhirServiceUnavailableException,"
                + " message=The FHIR server https://fhir.example/r4/ is unavailable: GET"
                + " Device?identifier=…&_count=… failed 6 times, retryAt=2026-03-01T10:00:00Z}}");
  }

  @Test
  void aFailedStageTakesReadinessAndDeliveryDownAndIsNamed() {
    var failed =
        statuses(
            new StageStatus.Failed("OutOfMemoryError", "Java heap space", RETRY),
            new StageStatus.Running());

    Health ready = HealthChecks.stages(() -> failed).health();

    assertThat(ready.getStatus()).isEqualTo(Status.DOWN);
    assertThat(ready.getDetails().get("icu"))
        .hasToString(
            "{normalize={status=failed, error=OutOfMemoryError, message=Java heap space,"
                + " retryAt=2026-03-01T10:00:00Z}}");
    assertThat(HealthChecks.connectors(() -> failed).health().getStatus()).isEqualTo(Status.DOWN);
  }

  @Test
  void runningAndStartingStagesAreUpEverywhere() {
    var fine = statuses(new StageStatus.Starting(), new StageStatus.Running());
    assertThat(HealthChecks.stages(() -> fine).health().getStatus()).isEqualTo(Status.UP);
    Health delivery = HealthChecks.connectors(() -> fine).health();
    assertThat(delivery.getStatus()).isEqualTo(Status.UP);
    assertThat(delivery.getDetails().get("icu")).hasToString("{normalize=starting, group=running}");
  }
}
