package io.iomt.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.iomt.deploy.bicep.BicepEvaluator;
import io.iomt.deploy.bicep.BicepFile;
import io.iomt.deploy.bicep.BicepModules;
import io.iomt.deploy.bicep.BicepReader;
import io.iomt.deploy.bicep.Node;
import io.iomt.deploy.bicep.Token;
import io.iomt.service.IomtProperties;
import io.iomt.service.ServiceConfiguration;
import io.iomt.service.management.ConnectorResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Structural checks of the Bicep templates in {@code deploy/azure}, read by the small Bicep reader
 * of {@link io.iomt.deploy.bicep}. <b>No Bicep compiler runs here</b> (neither {@code az} nor
 * {@code bicep} is on the machines this project is built on, and Azure is not reachable), so the
 * templates were never compiled nor deployed: these checks catch what a reader can (unbalanced
 * brackets, undeclared names, module params that do not match, resource types and API versions
 * outside a list of known ones, wrong or too broad role assignments, insecure defaults, names that
 * disagree with the service's), not what only ARM's schemas would (a misspelled property).
 */
class AzureTemplatesTest {
  private static final Path AZURE = locate();

  /** The resource types and API versions the templates may use: all known to exist. */
  private static final Map<String, String> KNOWN_TYPES =
      Map.ofEntries(
          Map.entry("Microsoft.EventHub/namespaces", "2024-01-01"),
          Map.entry("Microsoft.EventHub/namespaces/eventhubs", "2024-01-01"),
          Map.entry("Microsoft.EventHub/namespaces/eventhubs/consumergroups", "2024-01-01"),
          Map.entry("Microsoft.Storage/storageAccounts", "2023-05-01"),
          Map.entry("Microsoft.Storage/storageAccounts/blobServices", "2023-05-01"),
          Map.entry("Microsoft.Storage/storageAccounts/blobServices/containers", "2023-05-01"),
          Map.entry("Microsoft.KeyVault/vaults", "2023-07-01"),
          Map.entry("Microsoft.KeyVault/vaults/secrets", "2023-07-01"),
          Map.entry("Microsoft.ManagedIdentity/userAssignedIdentities", "2023-01-31"),
          Map.entry(
              "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
              "2023-01-31"),
          Map.entry("Microsoft.Authorization/roleAssignments", "2022-04-01"),
          Map.entry("Microsoft.HealthcareApis/workspaces/fhirservices", "2023-11-01"),
          Map.entry("Microsoft.ContainerService/managedClusters", "2024-09-01"),
          // 2025-01-01: the first GA version whose scale rules take a managed identity
          // (custom.identity); the connector's storage and hub accept Entra ID only.
          Map.entry("Microsoft.App/managedEnvironments", "2025-01-01"),
          Map.entry("Microsoft.App/containerApps", "2025-01-01"));

  /** Azure's built-in role definitions the connector needs, by GUID. */
  private static final String RECEIVER = "a638d3c7-ab3a-418d-83e6-5f17a39d4fde";

  private static final String SENDER = "2b629674-e913-4c01-ae53-ef4638d8f975";
  private static final String BLOB_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
  private static final String SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6";
  private static final String FHIR_WRITER = "3f88fce4-5892-4214-ae73-ba5294559913";

  private static Map<String, BicepFile> files;
  private static BicepFile main;

  @BeforeAll
  static void readAll() throws IOException {
    files = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(AZURE)) {
      for (Path p : paths.filter(p -> p.toString().endsWith(".bicep")).toList()) {
        files.put(AZURE.relativize(p).toString().replace('\\', '/'), BicepReader.read(p));
      }
    }
    main = files.get("main.bicep");
  }

  @Test
  void everyTemplateIsReadAndUsesOnlyNamesItDeclares() {
    assertThat(files)
        .containsOnlyKeys(
            "main.bicep",
            "modules/identity.bicep",
            "modules/eventhubs.bicep",
            "modules/storage.bicep",
            "modules/keyvault.bicep",
            "modules/fhir-role.bicep",
            "modules/aks.bicep",
            "modules/containerapp.bicep");
    files.values().forEach(f -> assertThat(BicepReader.undeclaredIdentifiers(f)).isEmpty());
  }

  @Test
  void everyModuleExistsAndIsPassedExactlyParamsItDeclaresWithEveryRequiredOne() {
    assertThat(main.modules()).hasSize(7);
    files.values().forEach(f -> assertThat(BicepModules.problems(f)).isEmpty());
  }

  @Test
  void everyParamIsDescribed() {
    files.values().stream()
        .flatMap(f -> f.params().stream().map(p -> Map.entry(f.path().getFileName(), p)))
        .forEach(
            e ->
                assertThat(e.getValue().decorators().has("description"))
                    .as("%s: param %s has a @description", e.getKey(), e.getValue().name())
                    .isTrue());
  }

  @Test
  void resourceTypesAndApiVersionsAreOnesKnownToExist() {
    files.forEach(
        (name, f) ->
            f.resources()
                .forEach(
                    r ->
                        assertThat(r.apiVersion())
                            .as("%s: %s '%s'", name, r.symbol(), r.type())
                            .isEqualTo(KNOWN_TYPES.get(r.type()))));
  }

  @Test
  void theIdentityGetsTheConnectorsRolesEachAtTheNarrowestScope() {
    Set<String> grants = new HashSet<>();
    files.forEach(
        (name, f) -> {
          BicepEvaluator eval = BicepEvaluator.of(f);
          for (BicepFile.Resource r : f.resources()) {
            if (!r.type().equals("Microsoft.Authorization/roleAssignments")) {
              continue;
            }
            Node.Obj body = r.body();
            String scope = text(body, "scope");
            String roleRef = roleReference(body);
            String role = (String) eval.value(expr(roleRef));
            String scopeType = f.resource(scope).orElseThrow().type();
            // guid(scope, principal, role): one assignment per scope, principal and role.
            assertThat(text(body, "name")).isEqualTo("guid(..)");
            assertThat(groupText((Node.Expr) body.at("name").orElseThrow()))
                .containsExactly(scope + ".id", "principalId", roleRef);
            assertThat(text(body, "properties.principalId")).isEqualTo("principalId");
            assertThat(f.param("principalId")).isPresent();
            assertThat(eval.value(body.at("properties.principalType").orElseThrow()))
                .isEqualTo("ServicePrincipal");
            grants.add(role + " on " + scopeType + " " + name + ":" + scope);
          }
        });
    String hub = "Microsoft.EventHub/namespaces/eventhubs modules/eventhubs.bicep:";
    assertThat(grants)
        .containsExactlyInAnyOrder(
            RECEIVER + " on " + hub + "hub",
            RECEIVER + " on " + hub + "normalizedHub",
            SENDER + " on " + hub + "normalizedHub",
            RECEIVER + " on " + hub + "errorsHub",
            SENDER + " on " + hub + "errorsHub",
            BLOB_CONTRIBUTOR
                + " on Microsoft.Storage/storageAccounts/blobServices/containers"
                + " modules/storage.bicep:container",
            SECRETS_USER + " on Microsoft.KeyVault/vaults modules/keyvault.bicep:vault",
            FHIR_WRITER
                + " on Microsoft.HealthcareApis/workspaces/fhirservices"
                + " modules/fhir-role.bicep:fhirService");
    // ... and principalId is the managed identity's wherever a module takes one.
    assertThat(main.module("identity").orElseThrow().path()).isEqualTo("modules/identity.bicep");
    List<String> principals = new ArrayList<>();
    for (BicepFile.Module m : main.modules()) {
      if (BicepReader.read(BicepModules.target(main, m)).param("principalId").isPresent()) {
        principals.add(m.symbol() + "=" + ((Node.Expr) m.params().get("principalId")).text());
      }
    }
    assertThat(principals)
        .containsExactlyInAnyOrder(
            "eventHubs=identity.outputs.principalId",
            "storage=identity.outputs.principalId",
            "keyVault=identity.outputs.principalId",
            "fhirRole=identity.outputs.principalId");
  }

  @Test
  void localAuthSharedKeysAndPublicAccessAreOffByDefaultAndTlsIsOneTwo() {
    BicepEvaluator eh = module("eventHubs");
    Node.Obj namespace = eh.file().resource("namespace").orElseThrow().body();
    assertThat(eh.value(at(namespace, "properties.disableLocalAuth"))).isEqualTo(true);
    assertThat(eh.value(at(namespace, "properties.minimumTlsVersion"))).isEqualTo("1.2");
    assertThat(eh.value(at(namespace, "sku.name"))).isEqualTo("Standard");

    BicepEvaluator st = module("storage");
    Node.Obj account = st.file().resource("account").orElseThrow().body();
    assertThat(st.value(at(account, "properties.allowSharedKeyAccess"))).isEqualTo(false);
    assertThat(st.value(at(account, "properties.allowBlobPublicAccess"))).isEqualTo(false);
    assertThat(st.value(at(account, "properties.minimumTlsVersion"))).isEqualTo("TLS1_2");
    assertThat(st.value(at(account, "properties.supportsHttpsTrafficOnly"))).isEqualTo(true);
    Node.Obj container = st.file().resource("container").orElseThrow().body();
    assertThat(st.value(at(container, "properties.publicAccess"))).isEqualTo("None");

    BicepEvaluator kv = module("keyVault");
    Node.Obj vault = kv.file().resource("vault").orElseThrow().body();
    assertThat(kv.value(at(vault, "properties.enableRbacAuthorization"))).isEqualTo(true);
    assertThat(kv.value(at(vault, "properties.enableSoftDelete"))).isEqualTo(true);
    assertThat(kv.value(at(vault, "properties.enablePurgeProtection"))).isEqualTo(true);
    assertThat(vault.at("properties.accessPolicies")).isEmpty();
  }

  @Test
  void secretsAreSecureParamsThatNoOutputShows() {
    assertThat(main.param("ingestApiKey").orElseThrow().decorators().has("secure")).isTrue();
    BicepFile kv = files.get("modules/keyvault.bicep");
    assertThat(kv.param("ingestKey").orElseThrow().decorators().has("secure")).isTrue();
    assertThat(text(main.module("keyVault").orElseThrow().body(), "params.ingestKey"))
        .isEqualTo("ingestApiKey");
    for (BicepFile f : List.of(main, kv)) {
      for (BicepFile.Output o : f.outputs()) {
        assertThat(identifiers(o.value())).doesNotContain("ingestApiKey", "ingestKey");
      }
    }
  }

  @Test
  void theCheckpointContainerIsNamedAsTheServiceNamesIt() {
    BicepEvaluator eval = BicepEvaluator.of(main);
    Node container = main.vars().get("checkpointContainerName");
    // The names connectorName's description allows: lowercase letters and digits, 1-40.
    for (String name : List.of("icu", "ward7", "a", "x".repeat(40))) {
      assertThat(eval.with(Map.of("connectorName", name)).value(container))
          .as("container of connector %s", name)
          .isEqualTo(ConnectorResources.checkpointContainer(name));
    }
    assertThat(eval.value(container)).isEqualTo("iomt-icu");
    assertThat(text(main.module("storage").orElseThrow().body(), "params.containerName"))
        .isEqualTo("checkpointContainerName");
    assertThat(main.param("connectorName").orElseThrow().decorators().byName())
        .containsKeys("minLength", "maxLength");
  }

  @Test
  void mainOutputsWhatTheHelmChartAndTheServiceNeed() {
    assertThat(main.outputs().stream().map(BicepFile.Output::name))
        .contains(
            "connectorName",
            "eventHubNamespaceFqdn",
            "eventHubNamespaceName",
            "eventHubName",
            "consumerGroupName",
            "normalizedTopic",
            "errorTopic",
            "storageAccountName",
            "storageBlobEndpoint",
            "checkpointContainerName",
            "checkpointContainerUrl",
            "keyVaultUri",
            "ingestApiKeyReference",
            "identityClientId",
            "tenantId",
            "fhirUrl",
            "aksClusterName",
            "aksOidcIssuerUrl");
    assertThat(text(main.output("checkpointContainerUrl").orElseThrow().value()))
        .isEqualTo("storage.outputs.containerUrl");
    assertThat(text(main.output("identityClientId").orElseThrow().value()))
        .isEqualTo("identity.outputs.clientId");
  }

  @Test
  void theContainerAppsSettingsAreTheServicesOwnKeysAndConfigureAnEventHubsConnector() {
    BicepEvaluator app = module("containerApp");
    Node.Obj container = firstContainer(app);
    Map<String, Object> env = new LinkedHashMap<>();
    for (Node e : ((Node.Arr) at(container, "env")).elements()) {
      Node.Obj entry = (Node.Obj) e;
      String name = (String) app.value(at(entry, "name"));
      // What is only known once deployed (a module's output) stands as its expression.
      env.put(name, app.eval(at(entry, "value")).orElse(text(at(entry, "value"))));
    }
    assertThat(env.get("IOMT_INGEST_API_KEYS_0"))
        .isEqualTo("'@Microsoft.KeyVault(VaultName=${};SecretName=${})'");
    assertThat(env).containsEntry("AZURE_CLIENT_ID", "identityClientId");

    // The service's own start-up check (the one that lists every problem, unknown IOMT_* names
    // included), with deployed-looking values where only a deployment knows them, the sample
    // mappings where the app mounts its secrets, and the key the vault reference stands for.
    Path repo = AZURE.getParent().getParent();
    Map<String, Object> deployed = new LinkedHashMap<>(env);
    deployed.replaceAll(
        (k, v) ->
            switch (String.valueOf(v)) {
              case "eventHubNamespaceFqdn" -> "iomt-abc.servicebus.windows.net";
              case "checkpointContainerUrl" -> "https://iomtabc.blob.core.windows.net/iomt-icu";
              case "fhirUrl" -> "https://ws-fhir.fhir.azurehealthcareapis.com";
              case "identityClientId" -> "0b1a4a6e-2f5c-4d7e-9a3b-6c8d1e2f3a4b";
              case "/config/device-mapping.json" ->
                  repo.resolve("samples/device-mapping.json").toString();
              case "/config/fhir-mapping.json" ->
                  repo.resolve("samples/fhir-mapping.json").toString();
              default -> v;
            });
    deployed.put("IOMT_INGEST_API_KEYS_0", "a-random-ingest-key-of-24+");
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().remove("systemEnvironment");
    environment.getPropertySources().remove("systemProperties");
    environment
        .getPropertySources()
        .addFirst(new SystemEnvironmentPropertySource("systemEnvironment", deployed));
    ServiceConfiguration config = ServiceConfiguration.from(environment, Clock.systemUTC());
    IomtProperties props = config.properties();
    assertThat(config.embeddedBroker()).isFalse();
    assertThat(config.eventHubsNamespace()).contains("iomt-abc.servicebus.windows.net");

    assertThat(props.getConnectors()).containsOnlyKeys("icu");
    IomtProperties.Connector icu = props.getConnectors().get("icu");
    assertThat(icu.getSource().getType()).isEqualTo("event-hubs");
    assertThat(icu.getSource().getFullyQualifiedEventHubNamespace())
        .isEqualTo("iomt-abc.servicebus.windows.net");
    assertThat(icu.getSource().getEventHubName()).isEqualTo("eventHubName");
    assertThat(icu.getSource().getConsumerGroup()).isEqualTo("consumerGroupName");
    assertThat(icu.getSource().getCheckpoints().getContainerUrl())
        .isEqualTo("https://iomtabc.blob.core.windows.net/iomt-icu");
    assertThat(icu.getPartitions()).isEqualTo(4);
    assertThat(icu.getNormalizedTopic()).isEqualTo("normalizedHubName");
    assertThat(icu.getErrorTopic()).isEqualTo("errorsHubName");
    assertThat(env)
        .containsEntry("IOMT_CONNECTORS_ICU_DEVICE_MAPPING", "/config/device-mapping.json")
        .containsEntry("IOMT_CONNECTORS_ICU_FHIR_MAPPING", "/config/fhir-mapping.json");
    assertThat(icu.getFhir().getAuth().getType()).isEqualTo("azure");
    assertThat(props.getAzure().getCredential().getType()).isEqualTo("managed-identity");
    assertThat(props.getAzure().getCredential().getClientId())
        .isEqualTo("0b1a4a6e-2f5c-4d7e-9a3b-6c8d1e2f3a4b");
    assertThat(props.getManagement().isEnabled()).isFalse();

    // The values passed to the module are the ones the other modules made.
    Map<String, String> passed =
        main.module("containerApp").orElseThrow().params().entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> text(e.getValue())));
    assertThat(passed)
        .containsEntry("eventHubNamespaceFqdn", "eventHubs.outputs.fullyQualifiedNamespace")
        .containsEntry("eventHubName", "eventHubs.outputs.eventHubName")
        .containsEntry("consumerGroupName", "eventHubs.outputs.consumerGroupName")
        .containsEntry("checkpointContainerUrl", "storage.outputs.containerUrl")
        .containsEntry("identityClientId", "identity.outputs.clientId")
        .containsEntry("identityId", "identity.outputs.id");
    // The internal hubs the template makes are the connector's topics.
    BicepEvaluator eh = module("eventHubs");
    assertThat(eh.value(eh.file().resource("normalizedHub").orElseThrow().body().at("name").get()))
        .isEqualTo("icu-normalized");
    assertThat(eh.value(eh.file().resource("errorsHub").orElseThrow().body().at("name").get()))
        .isEqualTo("icu-errors");
  }

  @Test
  void theContainerAppScalesOnCheckpointBlobsUpToOneReplicaPerPartitionWithHealthProbes() {
    BicepEvaluator app = module("containerApp");
    Node.Obj props = app.file().resource("app").orElseThrow().body();
    assertThat(app.value(at(props, "properties.template.scale.maxReplicas"))).isEqualTo(4);
    assertThat(text(main.module("containerApp").orElseThrow().body(), "params.maxReplicas"))
        .isEqualTo("partitionCount");
    Node.Obj rule =
        (Node.Obj) ((Node.Arr) at(props, "properties.template.scale.rules")).elements().get(0);
    assertThat(app.value(at(rule, "custom.type"))).isEqualTo("azure-eventhub");
    assertThat(text(rule, "custom.identity")).isEqualTo("identityId");
    Node.Obj meta = (Node.Obj) at(rule, "custom.metadata");
    assertThat(app.value(at(meta, "checkpointStrategy"))).isEqualTo("blobMetadata");
    assertThat(text(meta, "blobContainer")).isEqualTo("checkpointContainerName");
    assertThat(text(meta, "consumerGroup")).isEqualTo("consumerGroupName");
    assertThat(text(meta, "eventHubName")).isEqualTo("eventHubName");
    assertThat(
            text(
                main.module("containerApp").orElseThrow().body(), "params.checkpointContainerName"))
        .isEqualTo("storage.outputs.containerName");
    assertThat(app.value(at(props, "properties.configuration.ingress.targetPort"))).isEqualTo(8080);
    Map<String, String> probes = new HashMap<>();
    for (Node p : ((Node.Arr) at(firstContainer(app), "probes")).elements()) {
      Node.Obj probe = (Node.Obj) p;
      assertThat(app.value(at(probe, "httpGet.port"))).isEqualTo(8080);
      probes.put(
          (String) app.value(at(probe, "type")), (String) app.value(at(probe, "httpGet.path")));
    }
    assertThat(probes)
        .containsEntry("Liveness", "/actuator/health/liveness")
        .containsEntry("Readiness", "/actuator/health/readiness");
    assertThat(text(props, "identity.type")).isEqualTo("'UserAssigned'");
  }

  @Test
  void aksRunsKedaAndWorkloadIdentityFederatedWithTheChartsServiceAccountAndKeda() {
    BicepEvaluator aks = module("aks");
    Node.Obj cluster = aks.file().resource("cluster").orElseThrow().body();
    assertThat(aks.value(at(cluster, "properties.workloadAutoScalerProfile.keda.enabled")))
        .isEqualTo(true);
    assertThat(aks.value(at(cluster, "properties.oidcIssuerProfile.enabled"))).isEqualTo(true);
    assertThat(aks.value(at(cluster, "properties.securityProfile.workloadIdentity.enabled")))
        .isEqualTo(true);
    List<String> subjects = new ArrayList<>();
    for (BicepFile.Resource r : aks.file().resources()) {
      if (r.type().endsWith("/federatedIdentityCredentials")) {
        assertThat(text(r.body(), "parent")).isEqualTo("identity");
        assertThat(text(r.body(), "properties.issuer"))
            .isEqualTo("cluster.properties.oidcIssuerProfile.issuerURL");
        subjects.add((String) aks.value(at(r.body(), "properties.subject")));
      }
    }
    assertThat(subjects)
        .containsExactlyInAnyOrder(
            "system:serviceaccount:iomt:iomt-connector",
            "system:serviceaccount:kube-system:keda-operator");
    assertThat(aks.file().resource("identity").orElseThrow().existing()).isTrue();
  }

  private static BicepEvaluator module(String symbol) {
    BicepFile.Module m = main.module(symbol).orElseThrow();
    return BicepEvaluator.of(main).forModule(m, BicepReader.read(BicepModules.target(main, m)));
  }

  private static Node.Obj firstContainer(BicepEvaluator app) {
    Node.Obj body = app.file().resource("app").orElseThrow().body();
    return (Node.Obj) ((Node.Arr) at(body, "properties.template.containers")).elements().get(0);
  }

  private static Node at(Node.Obj o, String path) {
    return o.at(path).orElseThrow(() -> new AssertionError("no " + path));
  }

  private static String text(Node.Obj o, String path) {
    return text(at(o, path));
  }

  private static String text(Node n) {
    return ((Node.Expr) n).text();
  }

  /** The second argument of subscriptionResourceId('...roleDefinitions', role). */
  private static String roleReference(Node.Obj assignment) {
    Node.Expr id = (Node.Expr) at(assignment, "properties.roleDefinitionId");
    assertThat(id.text()).isEqualTo("subscriptionResourceId(..)");
    Node.Group args = (Node.Group) id.items().get(1);
    assertThat(text(args.elements().get(0))).isEqualTo("'Microsoft.Authorization/roleDefinitions'");
    return text(args.elements().get(1));
  }

  private static List<String> groupText(Node.Expr call) {
    return ((Node.Group) call.items().get(1))
        .elements().stream().map(AzureTemplatesTest::text).toList();
  }

  /** Every identifier token in a value, interpolations included. */
  private static Set<String> identifiers(Object n) {
    Set<String> out = new HashSet<>();
    if (n instanceof Token t) {
      if (t.kind() == Token.Kind.IDENT) {
        out.add(t.text());
      }
      t.interpolations().forEach(i -> out.addAll(identifiers(i)));
    } else if (n instanceof List<?> l) {
      l.forEach(i -> out.addAll(identifiers(i)));
    } else if (n instanceof Node.Expr e) {
      out.addAll(identifiers(e.items()));
    } else if (n instanceof Node.Group g) {
      out.addAll(identifiers(g.elements()));
    } else if (n instanceof Node.Arr a) {
      out.addAll(identifiers(a.elements()));
    } else if (n instanceof Node.Obj o) {
      out.addAll(identifiers(List.copyOf(o.entries().values())));
    }
    return out;
  }

  private static Node expr(String identifier) {
    return new Node.Expr(List.of(new Token(Token.Kind.IDENT, identifier, 0, List.of())));
  }

  private static Path locate() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("deploy/azure"))) {
        return dir.resolve("deploy/azure");
      }
    }
    throw new IllegalStateException("deploy/azure not found above " + Path.of("").toAbsolutePath());
  }
}
