package io.iomt.deploy;

import static io.iomt.deploy.RenderedChart.at;
import static io.iomt.deploy.RenderedChart.list;
import static io.iomt.deploy.RenderedChart.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.azure.storage.blob.BlobUrlParts;
import io.iomt.pipeline.Connector;
import io.iomt.pipeline.StageName;
import io.iomt.service.InvalidConfigurationException;
import io.iomt.service.IomtProperties;
import io.iomt.service.ServiceConfiguration;
import io.iomt.service.ServiceConfiguration.ConnectorDefinition;
import io.iomt.service.ServiceConfigurationView;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.util.unit.DataSize;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What the chart renders agrees with what the service does with it: the pod's settings (the
 * ConfigMap's application.yaml and the environment from the Secret) pass the service's own start-up
 * check, {@link ServiceConfiguration#from} (unknown {@code iomt.*} settings are problems there),
 * and the KEDA triggers name the topics, consumer groups, checkpoint container and partitions that
 * the service computes from those settings ({@link Connector#groupId}, {@code Connector.Topics}).
 */
class ChartServiceAgreementTest {
  /**
   * The keys agreed for issue 11 (parallel FHIR writes, byte-bounded buffering) that another change
   * adds to {@link IomtProperties}. Until it has landed, they are taken out before the check (the
   * chart keeps them in the ConfigMap, asserted below); once the properties exist, they are checked
   * like every other setting.
   */
  private static final Map<String, Boolean> PENDING_KEYS =
      Map.of(
          ".fhir.max-concurrent-writes", has(IomtProperties.Fhir.class, "getMaxConcurrentWrites"),
          ".flush.max-buffered-bytes", has(IomtProperties.Flush.class, "getMaxBufferedBytes"));

  @TempDir Path pod;

  @ParameterizedTest
  @EnumSource(Scenario.class)
  void theServiceAcceptsThePodsSettingsWithEveryKeyKnown(Scenario scenario) throws IOException {
    ServiceConfiguration configuration = check(RenderedChart.render(scenario));

    assertThat(configuration.connectors()).isNotEmpty();
    assertThat(configuration.embeddedBroker()).as("replicas share one broker").isFalse();
  }

  @ParameterizedTest
  @EnumSource(
      value = Scenario.class,
      names = {"KAFKA_SOURCE", "EVENT_HUBS_SOURCE"})
  void theKedaTriggersWatchTheTopicsAndGroupsTheServiceUses(Scenario scenario) throws IOException {
    RenderedChart chart = RenderedChart.render(scenario);
    ServiceConfiguration configuration = check(chart);
    Map<String, Map<String, Object>> triggers = new LinkedHashMap<>();
    for (Object t : list(at(chart.one("ScaledObject"), "spec", "triggers"))) {
      triggers.put((String) map(t).get("name"), map(t));
    }
    List<String> expected = new ArrayList<>();
    for (ConnectorDefinition d : configuration.connectors()) {
      Connector.Topics topics = d.settings().topics();
      Map<String, Object> group = triggers.get(d.name() + "-group");
      assertThat(group).as("trigger of %s's group stage", d.name()).isNotNull();
      assertThat(group.get("type")).isEqualTo("kafka");
      assertThat(map(group.get("metadata")))
          .containsEntry("topic", topics.normalized())
          .containsEntry("consumerGroup", Connector.groupId(d.name(), StageName.GROUP))
          .containsEntry(
              "bootstrapServers", configuration.kafkaProperties().get("bootstrap.servers"));

      Map<String, Object> normalize = triggers.get(d.name() + "-normalize");
      assertThat(normalize).as("trigger of %s's normalize stage", d.name()).isNotNull();
      Optional<ServiceConfigurationView.EventHubsSource> hub =
          ServiceConfigurationView.eventHubsSource(d);
      if (hub.isEmpty()) {
        assertThat(normalize.get("type")).isEqualTo("kafka");
        assertThat(map(normalize.get("metadata")))
            .containsEntry("topic", topics.source())
            .containsEntry("consumerGroup", Connector.groupId(d.name(), StageName.NORMALIZE))
            .containsEntry(
                "bootstrapServers", configuration.kafkaProperties().get("bootstrap.servers"));
      } else {
        ServiceConfigurationView.EventHubsSource h = hub.get();
        Map<String, Object> m = map(normalize.get("metadata"));
        assertThat(normalize.get("type")).isEqualTo("azure-eventhub");
        assertThat(m)
            .containsEntry("checkpointStrategy", "blobMetadata")
            .containsEntry("eventHubName", h.eventHub())
            .containsEntry("consumerGroup", h.consumerGroup());
        assertThat(m.get("eventHubNamespace") + ".servicebus.windows.net").isEqualTo(h.namespace());
        // The container the service's checkpoint store writes to, as the Blob SDK reads its URL.
        if (h.containerUrl() != null) {
          BlobUrlParts url = BlobUrlParts.parse(h.containerUrl());
          assertThat(m)
              .containsEntry("blobContainer", url.getBlobContainerName())
              .containsEntry("storageAccountName", url.getAccountName());
        } else {
          assertThat(m).containsEntry("blobContainer", h.container());
        }
      }
      expected.add(d.name() + "-normalize");
      expected.add(d.name() + "-group");
    }
    assertThat(triggers.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    int partitions =
        configuration.connectors().stream()
            .mapToInt(d -> d.settings().partitions())
            .max()
            .orElse(0);
    assertThat(at(chart.one("ScaledObject"), "spec", "maxReplicaCount")).isEqualTo(partitions);
    assertThat(at(chart.one("ScaledObject"), "spec", "scaleTargetRef", "name"))
        .isEqualTo(at(chart.one("Deployment"), "metadata", "name"));
  }

  @ParameterizedTest
  @EnumSource(
      value = Scenario.class,
      names = {"KAFKA_SOURCE", "EVENT_HUBS_SOURCE"})
  void theKeysAgreedForParallelWritesAndBoundedBuffersReachTheService(Scenario scenario)
      throws Exception {
    RenderedChart chart = RenderedChart.render(scenario);
    Map<String, Object> icu =
        map(at(yaml(configMapFile(chart, "application.yaml")), "iomt", "connectors", "icu"));
    Object writes = at(icu, "fhir", "max-concurrent-writes");
    Object buffered = at(icu, "flush", "max-buffered-bytes");

    assertThat(writes).isInstanceOf(Integer.class);
    assertThat(buffered).isInstanceOf(String.class);
    ServiceConfiguration configuration = check(chart);
    IomtProperties.Connector bound = configuration.properties().getConnectors().get("icu");
    if (!PENDING_KEYS.containsValue(false)) {
      assertThat(
              IomtProperties.Fhir.class.getMethod("getMaxConcurrentWrites").invoke(bound.getFhir()))
          .isEqualTo(writes);
      assertThat(
              IomtProperties.Flush.class.getMethod("getMaxBufferedBytes").invoke(bound.getFlush()))
          .isEqualTo(DataSize.parse(buffered.toString()));
    }
  }

  @ParameterizedTest
  @EnumSource(Scenario.class)
  void theProbesAskTheServicesHealthGroupsOnItsPort(Scenario scenario) throws IOException {
    RenderedChart chart = RenderedChart.render(scenario);
    Map<String, Object> container =
        map(list(at(chart.one("Deployment"), "spec", "template", "spec", "containers")).get(0));
    Map<String, Object> service = serviceDefaults();
    Map<String, Object> groups = map(at(service, "management", "endpoint", "health", "group"));
    Map<String, Object> configMap = yaml(configMapFile(chart, "application.yaml"));

    assertThat(at(configMap, "server", "port")).isEqualTo(at(service, "server", "port"));
    Map<String, Object> port = map(list(container.get("ports")).get(0));
    assertThat(port).containsEntry("name", "http");
    assertThat(port.get("containerPort")).isEqualTo(at(configMap, "server", "port"));
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      Map<String, Object> get = map(at(container, probe, "httpGet"));
      assertThat(get.get("port")).isEqualTo("http");
      String path = (String) get.get("path");
      assertThat(path).startsWith("/actuator/health/");
      assertThat(groups).containsKey(path.substring("/actuator/health/".length()));
    }
    assertThat(at(container, "livenessProbe", "httpGet", "path"))
        .isEqualTo("/actuator/health/liveness");
    assertThat(at(container, "readinessProbe", "httpGet", "path"))
        .isEqualTo("/actuator/health/readiness");
  }

  @ParameterizedTest
  @EnumSource(Scenario.class)
  void everyMappingPathOfTheSettingsIsAFileMountedFromTheConfigMap(Scenario scenario) {
    RenderedChart chart = RenderedChart.render(scenario);
    Map<String, Object> settings = yaml(configMapFile(chart, "application.yaml"));
    Map<String, Object> connectors = map(at(settings, "iomt", "connectors"));

    for (Map.Entry<String, Object> c : connectors.entrySet()) {
      for (String key : List.of("device-mapping", "fhir-mapping")) {
        String path = (String) map(c.getValue()).get(key);
        assertThat(mountedFile(chart, path))
            .as("iomt.connectors.%s.%s: %s", c.getKey(), key, path)
            .isPresent();
      }
    }
  }

  /** The pod's settings through the service's own check; fails listing every problem. */
  private ServiceConfiguration check(RenderedChart chart) throws IOException {
    StandardEnvironment environment = new StandardEnvironment();
    MutablePropertySources sources = environment.getPropertySources();
    sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
    sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
    sources.addLast(
        new SystemEnvironmentPropertySource(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, podEnvironment(chart)));
    for (PropertySource<?> file :
        new YamlPropertySourceLoader()
            .load(
                "ConfigMap application.yaml",
                new ByteArrayResource(
                    configMapFile(chart, "application.yaml").getBytes(StandardCharsets.UTF_8)))) {
      sources.addLast(new MapPropertySource(file.getName(), asMountedHere(chart, file)));
    }
    try {
      return ServiceConfiguration.from(environment, Clock.systemUTC());
    } catch (InvalidConfigurationException e) {
      return fail(
          "the service refuses the chart's settings:%n  %s", String.join("\n  ", e.problems()));
    }
  }

  /**
   * The file's settings, with the mapping paths pointing at copies of the mounted files under the
   * test's directory (after checking they are mounted) and the pending keys taken out.
   */
  private Map<String, Object> asMountedHere(RenderedChart chart, PropertySource<?> file)
      throws IOException {
    Map<String, Object> settings = new LinkedHashMap<>();
    for (String name : ((EnumerablePropertySource<?>) file).getPropertyNames()) {
      Object value = file.getProperty(name);
      if (name.endsWith(".device-mapping") || name.endsWith(".fhir-mapping")) {
        String mounted = value.toString();
        String content =
            mountedFile(chart, mounted)
                .orElseThrow(() -> new AssertionError(name + ": not a mounted file: " + mounted));
        Path here = pod.resolve(value.toString().substring(1));
        Files.createDirectories(here.getParent());
        Files.writeString(here, content);
        value = here.toString();
      }
      String key = name;
      if (PENDING_KEYS.entrySet().stream()
          .anyMatch(k -> key.endsWith(k.getKey()) && !k.getValue())) {
        continue;
      }
      settings.put(name, value);
    }
    return settings;
  }

  /**
   * The pod's environment: the container's variables and those of the Secrets it takes whole (the
   * chart's, decoded; an existing one or Key Vault's synced one, with stand-in values for the keys
   * they are documented to hold).
   */
  private static Map<String, Object> podEnvironment(RenderedChart chart) {
    Map<String, Object> env = new LinkedHashMap<>();
    Map<String, Object> container =
        map(list(at(chart.one("Deployment"), "spec", "template", "spec", "containers")).get(0));
    for (Object e : list(container.get("env"))) {
      env.put((String) map(e).get("name"), map(e).get("value"));
    }
    Object envFrom = container.get("envFrom");
    for (Object from : envFrom == null ? List.of() : list(envFrom)) {
      String secret = (String) at(map(from), "secretRef", "name");
      if (secret.equals(RenderedChart.FULLNAME)) {
        map(chart.named("Secret", secret).get("data"))
            .forEach(
                (k, v) ->
                    env.put(
                        k,
                        new String(
                            Base64.getDecoder().decode((String) v), StandardCharsets.UTF_8)));
      } else if (secret.equals(RenderedChart.FULLNAME + "-keyvault")) {
        for (Object object :
            list(
                map(list(at(chart.one("SecretProviderClass"), "spec", "secretObjects")).get(0))
                    .get("data"))) {
          String key = (String) map(object).get("key");
          env.put(key, "from-key-vault-" + key.toLowerCase());
        }
      } else {
        // secrets.existingSecret: the ingest key it must hold at least.
        env.put("IOMT_INGEST_API_KEYS_0", "an-existing-secrets-ingest-key");
      }
    }
    return env;
  }

  /** The content of the ConfigMap file mounted at {@code path}, if a volume mounts one there. */
  private static Optional<String> mountedFile(RenderedChart chart, String path) {
    Map<String, Object> pod = map(at(chart.one("Deployment"), "spec", "template", "spec"));
    Map<String, Object> container = map(list(pod.get("containers")).get(0));
    for (Object m : list(container.get("volumeMounts"))) {
      String mountPath = (String) map(m).get("mountPath");
      if (!path.startsWith(mountPath + "/")) {
        continue;
      }
      String file = path.substring(mountPath.length() + 1);
      for (Object v : list(pod.get("volumes"))) {
        Map<String, Object> volume = map(v);
        if (volume.get("name").equals(map(m).get("name")) && volume.containsKey("configMap")) {
          for (Object item : list(at(volume, "configMap", "items"))) {
            if (file.equals(map(item).get("path"))) {
              return Optional.of(configMapFile(chart, (String) map(item).get("key")));
            }
          }
        }
      }
    }
    return Optional.empty();
  }

  private static String configMapFile(RenderedChart chart, String key) {
    Object content = map(chart.one("ConfigMap").get("data")).get(key);
    assertThat(content).as("ConfigMap key %s", key).isNotNull();
    return (String) content;
  }

  /** The service's bundled application.yaml (its defaults: port, health groups). */
  private static Map<String, Object> serviceDefaults() throws IOException {
    try (InputStream in = ServiceConfiguration.class.getResourceAsStream("/application.yaml")) {
      assertThat(in).as("the service's application.yaml").isNotNull();
      return yaml(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static Map<String, Object> yaml(String text) {
    return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(text));
  }

  private static boolean has(Class<?> type, String method) {
    try {
      type.getMethod(method);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
