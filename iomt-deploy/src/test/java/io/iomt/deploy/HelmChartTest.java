package io.iomt.deploy;

import static io.iomt.deploy.RenderedChart.at;
import static io.iomt.deploy.RenderedChart.list;
import static io.iomt.deploy.RenderedChart.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The chart lints cleanly, renders every scenario, and refuses values that cannot work. */
class HelmChartTest {
  @Test
  void theChartWithItsDefaultValuesPassesStrictLint() {
    LintResult result = new Helm(RenderedChart.CHART).lint().strict().call();

    assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Scenario.class)
  void theChartWithEachScenariosValuesPassesStrictLint(Scenario scenario, @TempDir Path dir)
      throws Exception {
    LintResult result = RenderedChart.lint(scenario, dir);

    assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
    assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARN"));
  }

  @Test
  void eachScenarioRendersTheKindsItAsksFor() {
    assertThat(kinds(RenderedChart.render(Scenario.KAFKA_SOURCE)))
        .containsExactlyInAnyOrder(
            "ServiceAccount",
            "Secret",
            "Secret",
            "ConfigMap",
            "Service",
            "Deployment",
            "PodDisruptionBudget",
            "ScaledObject",
            "TriggerAuthentication",
            "ServiceMonitor");
    assertThat(kinds(RenderedChart.render(Scenario.EVENT_HUBS_SOURCE)))
        .containsExactlyInAnyOrder(
            "ServiceAccount",
            "ConfigMap",
            "Service",
            "Deployment",
            "PodDisruptionBudget",
            "ScaledObject",
            "TriggerAuthentication",
            "TriggerAuthentication",
            "SecretProviderClass");
    assertThat(kinds(RenderedChart.render(Scenario.AUTOSCALING_OFF)))
        .containsExactlyInAnyOrder("ServiceAccount", "ConfigMap", "Service", "Deployment");
  }

  @Test
  void moreMaximumReplicasThanPartitionsAreRefused() {
    assertThatThrownBy(
            () ->
                RenderedChart.render(
                    Scenario.KAFKA_SOURCE, t -> t.set("autoscaling.maxReplicaCount", 9)))
        .hasMessageContaining("autoscaling.maxReplicaCount: 9 is more than the partitions")
        .hasMessageContaining("(8)");
  }

  @Test
  void aMisspelledChartValueIsRefusedByTheValuesSchema() {
    assertThatThrownBy(
            () ->
                RenderedChart.render(
                    Scenario.KAFKA_SOURCE, t -> t.set("autoscaling.maxReplicas", 4)))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining("maxReplicas");
  }

  @Test
  void aDeploymentWithoutASharedBrokerIsRefused() {
    assertThatThrownBy(
            () ->
                RenderedChart.render(
                    Scenario.AUTOSCALING_OFF, t -> t.set("iomt.kafka.bootstrap-servers", "")))
        .hasMessageContaining("iomt.kafka.bootstrap-servers or iomt.kafka.event-hubs-namespace");
  }

  @Test
  void aMappingThatIsNotAMountedFileIsRefused() {
    assertThatThrownBy(
            () ->
                RenderedChart.render(
                    Scenario.AUTOSCALING_OFF,
                    t -> t.set("iomt.connectors.demo.device-mapping", "devices.json")))
        .hasMessageContaining(
            "iomt.connectors.demo.device-mapping: 'devices.json' is not a file of `mappings`"
                + " (device-mapping.json, fhir-mapping.json)");
  }

  @Test
  void aDeploymentWithoutAnIngestKeyIsRefused() {
    assertThatThrownBy(
            () ->
                RenderedChart.render(
                    Scenario.AUTOSCALING_OFF, t -> t.set("secrets.existingSecret", "")))
        .hasMessageContaining("an ingest API key is required");
  }

  @Test
  void anEventHubsSourceWithoutACheckpointContainerIsRefused() {
    assertThatThrownBy(
            () ->
                RenderedChart.render(
                    Scenario.EVENT_HUBS_SOURCE,
                    t -> t.set("iomt.connectors.icu.source.checkpoints.container-url", "")))
        .hasMessageContaining("iomt.connectors.icu.source.checkpoints: container-url or container");
  }

  @Test
  void aChangedSettingChangesThePodTemplateSoThePodsRoll() {
    Object before = checksum(RenderedChart.render(Scenario.KAFKA_SOURCE));
    Object after =
        checksum(
            RenderedChart.render(
                Scenario.KAFKA_SOURCE, t -> t.set("iomt.connectors.icu.flush.max-age", "2s")));

    assertThat(before).isNotNull().isNotEqualTo(after);
  }

  @ParameterizedTest
  @EnumSource(Scenario.class)
  void thePodRunsAsTheImagesNonRootUserOnAReadOnlyRootFilesystem(Scenario scenario) {
    Map<String, Object> pod =
        map(at(RenderedChart.render(scenario).one("Deployment"), "spec", "template", "spec"));
    Map<String, Object> container = map(list(pod.get("containers")).get(0));

    assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
    assertThat(at(pod, "securityContext", "runAsUser")).isEqualTo(10001);
    assertThat(at(pod, "securityContext", "seccompProfile", "type")).isEqualTo("RuntimeDefault");
    assertThat(at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(at(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
    assertThat(at(container, "securityContext", "capabilities", "drop")).isEqualTo(List.of("ALL"));
    // The only writable places: the data directory and /tmp, both emptyDir.
    List<String> writable =
        list(container.get("volumeMounts")).stream()
            .map(RenderedChart::map)
            .filter(m -> !Boolean.TRUE.equals(m.get("readOnly")))
            .map(m -> (String) m.get("mountPath"))
            .toList();
    assertThat(writable).containsExactlyInAnyOrder("/data", "/tmp");
    assertThat(
            list(pod.get("volumes")).stream()
                .map(RenderedChart::map)
                .filter(v -> List.of("data", "tmp").contains(v.get("name")))
                .map(v -> v.containsKey("emptyDir")))
        .containsExactly(true, true);
    assertThat(list(container.get("env")))
        .contains(Map.of("name", "IOMT_DATA_DIR", "value", "/data"));
    assertThat(pod.get("enableServiceLinks")).isEqualTo(false);
  }

  @Test
  void theSecretsOfTheValuesAreInTheSecretAndNeverInTheConfigMap() {
    RenderedChart chart = RenderedChart.render(Scenario.KAFKA_SOURCE);
    Map<String, Object> values = RenderedChart.load(Scenario.KAFKA_SOURCE.valuesFile());
    List<String> secrets =
        List.of(
            "ingest-key-0123456789abcdef",
            "management-key-0123456789",
            "broker-password",
            "fhir-client-secret-value",
            "fhir-bearer-token-value");
    assertThat(values.toString()).contains(secrets);

    String configMap = chart.one("ConfigMap").toString();
    assertThat(secrets).allSatisfy(s -> assertThat(configMap).doesNotContain(s));
    Map<String, Object> data = map(chart.named("Secret", RenderedChart.FULLNAME).get("data"));
    assertThat(data.values().stream().map(v -> new String(Base64.getDecoder().decode((String) v))))
        .contains(
            "ingest-key-0123456789abcdef", "fhir-client-secret-value", "fhir-bearer-token-value");
  }

  @Test
  void workloadIdentityAnnotatesTheServiceAccountAndLabelsThePods() {
    RenderedChart chart = RenderedChart.render(Scenario.EVENT_HUBS_SOURCE);

    assertThat(at(chart.one("ServiceAccount"), "metadata", "annotations"))
        .isEqualTo(
            Map.of(
                "azure.workload.identity/client-id", "0b1a4a6e-2f5c-4d7e-9a3b-6c8d1e2f3a4b",
                "azure.workload.identity/tenant-id", "72f988bf-86f1-41af-91ab-2d7cd011db47"));
    assertThat(map(at(chart.one("Deployment"), "spec", "template", "metadata", "labels")))
        .containsEntry("azure.workload.identity/use", "true");
  }

  @Test
  void thePodsSpreadOverZonesAndNodesAndOneAtATimeMayBeDisrupted() {
    RenderedChart chart = RenderedChart.render(Scenario.KAFKA_SOURCE);
    List<Object> spread =
        list(at(chart.one("Deployment"), "spec", "template", "spec", "topologySpreadConstraints"));

    assertThat(spread.stream().map(c -> map(c).get("topologyKey")))
        .containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname");
    assertThat(at(chart.one("PodDisruptionBudget"), "spec", "maxUnavailable")).isEqualTo(1);
    assertThat(at(chart.one("PodDisruptionBudget"), "spec", "selector", "matchLabels"))
        .isEqualTo(at(chart.one("Deployment"), "spec", "selector", "matchLabels"));
  }

  private static List<Object> kinds(RenderedChart chart) {
    return chart.manifests().stream().map(m -> m.get("kind")).toList();
  }

  private static Object checksum(RenderedChart chart) {
    return map(at(chart.one("Deployment"), "spec", "template", "metadata", "annotations"))
        .get("checksum/config");
  }
}
