package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iomt.azure.AzureCredential;
import io.iomt.azure.deadletter.EventHubDeadLetterSettings;
import io.iomt.azure.eventhubs.EventHubsSourceSettings;
import io.iomt.pipeline.StageName;
import io.iomt.pipeline.deadletter.DeadLetterSinkException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DeadLetterHubConfigTest {
  private static final String KEY = "c2VjcmV0LWtleS1uZXZlci1zaG93bg==";
  private static final String AT = "iomt.connectors.ward-a.dead-letters.event-hub";

  private static final Supplier<AzureCredential> NO_CREDENTIAL =
      () -> {
        throw new IllegalStateException(
            "no shared Azure credential is configured (iomt.azure.credential)");
      };

  private static IomtProperties.DeadLetterHub hub(IomtProperties p) {
    return p.getConnectors().get("ward-a").getDeadLetters().getEventHub();
  }

  private static ServiceConfiguration.ConnectorDefinition only(IomtProperties p) {
    return ServiceConfiguration.from(p, Clock.systemUTC()).connectors().get(0);
  }

  @Test
  void withoutADeadLetterHubAConnectorRunsNoForwarder() {
    ServiceConfiguration.ConnectorDefinition d = only(ServiceConfigurationTest.valid());

    assertThat(d.deadLetterHub()).isNull();
    assertThat(d.stages()).containsExactly(StageName.NORMALIZE, StageName.GROUP);
  }

  @Test
  void aHubLevelSasConnectionStringEnablesTheForwarderWithoutTheSharedCredential() {
    IomtProperties p = ServiceConfigurationTest.valid();
    hub(p)
        .setConnectionString(
            "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=send;"
                + "SharedAccessKey="
                + KEY
                + ";EntityPath=iomt-dead-letters");

    ServiceConfiguration.ConnectorDefinition d = only(p);

    assertThat(d.stages())
        .containsExactly(StageName.NORMALIZE, StageName.GROUP, StageName.FORWARD_ERRORS);
    assertThat(d.deadLetterHub().describe())
        .isEqualTo("contoso.servicebus.windows.net/iomt-dead-letters");
    assertThat(d.deadLetterHub().toString()).doesNotContain(KEY);
    EventHubDeadLetterSettings settings = d.deadLetterHub().settings(NO_CREDENTIAL);
    assertThat(settings.eventHubName()).as("the connection string names the hub").isNull();
    assertThat(settings.auth())
        .isInstanceOfSatisfying(
            EventHubsSourceSettings.Auth.ConnectionString.class,
            cs -> assertThat(cs.value().get()).contains(KEY));
  }

  @Test
  void aNamespaceSasConnectionStringTakesTheHubFromItsSetting() {
    IomtProperties p = ServiceConfigurationTest.valid();
    hub(p)
        .setConnectionString(
            "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=send;"
                + "SharedAccessKey="
                + KEY);
    hub(p).setEventHubName("errors");

    EventHubDeadLetterSettings settings = only(p).deadLetterHub().settings(NO_CREDENTIAL);

    assertThat(settings.eventHubName()).isEqualTo("errors");
  }

  @Test
  void aNamespaceAndHubUseTheSharedCredentialAndItsAbsenceBlocksOnlyTheForwarder() {
    IomtProperties p = ServiceConfigurationTest.valid();
    hub(p).setFullyQualifiedEventHubNamespace("contoso.servicebus.windows.net");
    hub(p).setEventHubName("iomt-dead-letters");

    DeadLetterHubConfig config = only(p).deadLetterHub();

    assertThat(config.connectionString()).isNull();
    var sinks = config.sinks(NO_CREDENTIAL);
    assertThatThrownBy(sinks::get)
        .isInstanceOfSatisfying(
            DeadLetterSinkException.class,
            e -> {
              assertThat(e.isBlocking()).isTrue();
              assertThat(e.errorName()).isEqualTo("DeadLetterSinkUnauthorizedException");
            })
        .hasMessageContaining("contoso.servicebus.windows.net/iomt-dead-letters")
        .hasMessageContaining("iomt.azure.credential");
  }

  @Test
  void everyProblemIsListedWithItsSettingPathAndTheKeyIsNeverShown() {
    IomtProperties p = ServiceConfigurationTest.valid();
    hub(p).setConnectionString("SharedAccessKeyName=send;SharedAccessKey=" + KEY);
    IomtProperties.Connector other = new IomtProperties.Connector();
    other.setDeviceMapping(ServiceConfigurationTest.SAMPLES.resolve("device-mapping.json"));
    other.setFhirMapping(ServiceConfigurationTest.SAMPLES.resolve("fhir-mapping.json"));
    other.getFhir().setUrl("http://localhost:8080/fhir");
    other.getDeadLetters().getEventHub().setEventHubName("bad name!");
    p.getConnectors().put("icu", other);
    IomtProperties.Connector third = new IomtProperties.Connector();
    third.setDeviceMapping(ServiceConfigurationTest.SAMPLES.resolve("device-mapping.json"));
    third.setFhirMapping(ServiceConfigurationTest.SAMPLES.resolve("fhir-mapping.json"));
    third.getFhir().setUrl("http://localhost:8080/fhir");
    third
        .getDeadLetters()
        .getEventHub()
        .setConnectionString(
            "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKey="
                + KEY
                + ";EntityPath=one");
    third.getDeadLetters().getEventHub().setEventHubName("two");
    third.getDeadLetters().getEventHub().setFullyQualifiedEventHubNamespace("other.example.net");
    p.getConnectors().put("ward-b", third);

    InvalidConfigurationException e = ServiceConfigurationTest.problems(p);

    assertThat(e.problems())
        .containsExactlyInAnyOrder(
            AT
                + ".connection-string: the connection string has no"
                + " Endpoint=sb://<namespace>.servicebus.windows.net/",
            "iomt.connectors.icu.dead-letters.event-hub: needs fully-qualified-event-hub-namespace"
                + " (with the shared Azure credential, iomt.azure.credential) or"
                + " connection-string (SAS with the Send right)",
            "iomt.connectors.icu.dead-letters.event-hub.event-hub-name: 'bad name!' is not an"
                + " event hub name (letters, digits, '.', '_', '-')",
            "iomt.connectors.ward-b.dead-letters.event-hub.fully-qualified-event-hub-namespace:"
                + " 'other.example.net' differs from the connection string's Endpoint"
                + " (contoso.servicebus.windows.net)",
            "iomt.connectors.ward-b.dead-letters.event-hub.event-hub-name: 'two' differs from the"
                + " connection string's EntityPath (one)");
    assertThat(e.getMessage()).doesNotContain(KEY);
  }

  @Test
  void theSettingsBindFromEnvironmentVariablesAndRelaxedNames() {
    Map<String, Object> file = ServiceConfigurationTest.validFile();
    file.put(
        "iomt.connectors.ward-a.dead-letters.event-hub.fullyQualifiedEventHubNamespace",
        "contoso.servicebus.windows.net");
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("IOMT_CONNECTORS_WARDA_DEADLETTERS_EVENTHUB_EVENTHUBNAME", "iomt-dead-letters");

    ServiceConfiguration config =
        ServiceConfiguration.from(
            ServiceConfigurationTest.environment(file, variables), Clock.systemUTC());

    assertThat(config.connectors().get(0).deadLetterHub().describe())
        .isEqualTo("contoso.servicebus.windows.net/iomt-dead-letters");
  }
}
