package io.iomt.service.management.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ManagementAuditTest {
  static final String WS =
      "/subscriptions/s/resourceGroups/rg/providers/Microsoft.HealthcareApis/workspaces/ws";

  @Test
  void theResourceTypeIsTheLastTypeSegmentOfTheContract() {
    assertThat(ManagementAudit.resourceType(WS)).isEqualTo("workspaces");
    assertThat(ManagementAudit.resourceType(WS + "/IotConnectors/c")).isEqualTo("iotconnectors");
    assertThat(ManagementAudit.resourceType(WS + "/iotconnectors")).isEqualTo("iotconnectors");
    assertThat(ManagementAudit.resourceType(WS + "/iotconnectors/c/fhirdestinations/d/"))
        .isEqualTo("fhirdestinations");
    assertThat(ManagementAudit.resourceType(WS + "/fhirservices/f?api-version=2024-03-31"))
        .isEqualTo("fhirservices");
  }

  @Test
  void anythingElseIsOtherSoThatNoRequestPathCanGrowTheMetricsSeries() {
    assertThat(ManagementAudit.resourceType(WS + "/iotconnectors/c/operationresults/x"))
        .isEqualTo("other");
    assertThat(ManagementAudit.resourceType("/subscriptions/s/resourceGroups/rg"))
        .isEqualTo("other");
    assertThat(ManagementAudit.resourceType("/providers/Microsoft.Other/things/t"))
        .isEqualTo("other");
    assertThat(ManagementAudit.resourceType(null)).isEqualTo("other");
  }

  @Test
  void eachAttemptIsCountedByActionTypeAndOutcomeWithBoundedTags() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ManagementAudit audit =
        new ManagementAudit(
            registry, Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));
    ManagementCaller ci = new ManagementCaller("ci", CallerType.KEY, Role.CONTRIBUTOR);

    audit.record(ci, "put", WS, "accepted");
    audit.record(ci, "PUT", WS, "accepted");
    audit.record(null, "PROPFIND", WS + "/x/y", "refused:Authentication Failed\n");

    assertThat(
            registry
                .get("iomt.management.changes")
                .tags("action", "PUT", "resource_type", "workspaces", "outcome", "accepted")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(
            registry
                .get("iomt.management.changes")
                .tags(
                    "action",
                    "OTHER",
                    "resource_type",
                    "other",
                    "outcome",
                    "refused:Authentication_Failed_")
                .counter()
                .count())
        .isEqualTo(1);
  }
}
