package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class RedactionTest {
  @Test
  void urlsLoseTheirUserInfoAndQueryValuesAndNothingElse() {
    assertThat(Redaction.url(URI.create("https://user:pw@fhir.example:8443/r4?code=k3y&x=1")))
        .isEqualTo("https://fhir.example:8443/r4?code=…&x=…");
    assertThat(Redaction.url("https://user:p@ss@host/fhir")).isEqualTo("https://host/fhir");
    assertThat(Redaction.url("https://host/fhir")).isEqualTo("https://host/fhir");
    assertThat(Redaction.url("not a url user:pw@x")).isEqualTo("not a url user:pw@x");
    assertThat(Redaction.url("https://user:pw@host/fhir path")).isEqualTo("https://host/fhir path");
    assertThat(Redaction.withoutUserInfo(URI.create("http://a:b@h:1/p?q=1")))
        .isEqualTo(URI.create("http://h:1/p?q=1"));
    assertThat(Redaction.url((String) null)).isNull();
  }

  @Test
  void aBareUrlHasNeitherUserInfoNorQueryNorFragment() {
    assertThat(Redaction.bareUrl(URI.create("https://user:pw@fhir.example:8443/r4?code=k3y#f")))
        .isEqualTo("https://fhir.example:8443/r4");
    assertThat(Redaction.bareUrl(URI.create("http://h/fhir/"))).isEqualTo("http://h/fhir/");
    assertThat(Redaction.bareUrl(URI.create("http://u@h?token=abc"))).isEqualTo("http://h");
    assertThat(Redaction.bareUrl(null)).isNull();
  }

  @Test
  void messagesLoseUserInfoAndSearchValues() {
    assertThat(
            Redaction.message(
                "The FHIR server http://u:pw@h/fhir/ is unavailable: GET"
                    + " Patient?identifier=sys%7Cp-1&_count=2 failed, last with HTTP 503"))
        .isEqualTo(
            "The FHIR server http://h/fhir/ is unavailable: GET Patient?identifier=…&_count=…"
                + " failed, last with HTTP 503");
    assertThat(Redaction.message("connection refused")).isEqualTo("connection refused");
  }

  @Test
  void messagesLoseTheKeysOfConnectionStringsAndAuthorizationHeaders() {
    assertThat(
            Redaction.message(
                "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=listen;"
                    + "SharedAccessKey=c2VjcmV0+/=;EntityPath=hub"))
        .isEqualTo(
            "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=listen;"
                + "SharedAccessKey=…;EntityPath=hub");
    assertThat(Redaction.message("DefaultEndpointsProtocol=https;AccountKey=a2V5==;x=1"))
        .isEqualTo("DefaultEndpointsProtocol=https;AccountKey=…;x=1");
    assertThat(Redaction.message("sent Authorization: Bearer eyJ0eXAi.eyJzdWIi.sig and"))
        .isEqualTo("sent Authorization: Bearer … and");
    assertThat(Redaction.message("body client_secret=s3cr3t&grant_type=client_credentials"))
        .isEqualTo("body client_secret=…&grant_type=…");
  }

  @Test
  void secretLookingSettingsAreRecognised() {
    assertThat(Redaction.isSecretName("iomt.connectors.x.fhir.auth.client-secret")).isTrue();
    assertThat(Redaction.isSecretName("iomt.connectors.x.fhir.auth.token")).isTrue();
    assertThat(Redaction.isSecretName("iomt.ingest.api-keys[0]")).isTrue();
    assertThat(Redaction.isSecretName("iomt.kafka.event-hubs-connection-string")).isTrue();
    assertThat(Redaction.isSecretName("iomt.kafka.properties.ssl.truststore.password")).isTrue();
    assertThat(Redaction.isSecretName("iomt.connectors.x.flush.max-age")).isFalse();
  }
}
