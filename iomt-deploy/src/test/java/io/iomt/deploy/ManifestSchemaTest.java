package io.iomt.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rendered manifest is a valid object of its kind: Kubernetes' own kinds are read into
 * fabric8's typed models with no field left over (an unknown or misplaced field fails: the API
 * server would reject or prune it), custom resources (KEDA, the Secrets Store CSI driver, the
 * Prometheus Operator) are checked against JSON schemas written from their CRDs
 * (src/test/resources/schemas, each says its source).
 */
class ManifestSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Map<String, Class<? extends HasMetadata>> KUBERNETES =
      Map.of(
          "v1/ConfigMap", ConfigMap.class,
          "v1/Secret", Secret.class,
          "v1/Service", Service.class,
          "v1/ServiceAccount", ServiceAccount.class,
          "apps/v1/Deployment", Deployment.class,
          "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);

  private static final Map<String, String> CUSTOM =
      Map.of(
          "keda.sh/v1alpha1/ScaledObject", "keda-scaledobject.schema.json",
          "keda.sh/v1alpha1/TriggerAuthentication", "keda-triggerauthentication.schema.json",
          "secrets-store.csi.x-k8s.io/v1/SecretProviderClass", "secretproviderclass.schema.json",
          "monitoring.coreos.com/v1/ServiceMonitor", "servicemonitor.schema.json");

  static Stream<Arguments> manifests() {
    return Stream.of(Scenario.values())
        .flatMap(
            s ->
                RenderedChart.render(s).manifests().stream().map(m -> Arguments.of(s, type(m), m)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("manifests")
  void everyRenderedManifestIsAValidObjectOfItsKind(
      Scenario scenario, String type, Map<String, Object> manifest) throws IOException {
    JsonNode json = JSON.valueToTree(manifest);
    if (KUBERNETES.containsKey(type)) {
      HasMetadata typed = JSON.treeToValue(json, KUBERNETES.get(type));
      assertThat(StrictModel.leftovers(typed)).as("fields the model does not know").isEmpty();
    } else {
      assertThat(CUSTOM).as("a schema for %s", type).containsKey(type);
      assertThat(validate(CUSTOM.get(type), json)).isEmpty();
    }
  }

  @Test
  void theStrictReadingFindsAFieldTheModelDoesNotKnow() throws IOException {
    Map<String, Object> deployment =
        RenderedChart.render(Scenario.AUTOSCALING_OFF).one("Deployment");
    RenderedChart.map(RenderedChart.at(deployment, "spec", "template", "spec"))
        .put("securityContex", Map.of("runAsUser", 0));

    Deployment typed = JSON.treeToValue(JSON.valueToTree(deployment), Deployment.class);

    assertThat(StrictModel.leftovers(typed)).containsExactly("spec.template.spec.securityContex");
  }

  @Test
  void theScaledObjectSchemaRefusesAScaledObjectWithoutTarget() throws IOException {
    Map<String, Object> scaled = RenderedChart.render(Scenario.KAFKA_SOURCE).one("ScaledObject");
    RenderedChart.map(scaled.get("spec")).remove("scaleTargetRef");
    RenderedChart.map(scaled.get("spec")).put("maxReplicaCount", "8");

    assertThat(validate("keda-scaledobject.schema.json", JSON.valueToTree(scaled)))
        .map(ValidationMessage::getMessage)
        .anyMatch(m -> m.contains("scaleTargetRef"))
        .anyMatch(m -> m.contains("maxReplicaCount"));
  }

  private static String type(Map<String, Object> manifest) {
    return manifest.get("apiVersion") + "/" + manifest.get("kind");
  }

  private static Set<ValidationMessage> validate(String schema, JsonNode json) throws IOException {
    try (InputStream in = ManifestSchemaTest.class.getResourceAsStream("/schemas/" + schema)) {
      JsonSchema s = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
      return s.validate(json);
    }
  }
}
