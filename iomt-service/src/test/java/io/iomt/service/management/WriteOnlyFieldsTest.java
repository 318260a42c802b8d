package io.iomt.service.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WriteOnlyFieldsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "/properties/iomt/auth/token";
  private static final String SECRET = "/properties/iomt/auth/clientSecret";

  @Test
  void aSecretTheRequestSetsReplacesTheStoredOne() throws Exception {
    var body = JSON.readTree("{\"properties\":{\"iomt\":{\"auth\":{\"type\":\"bearer\"}}}}");

    assertThat(
            WriteOnlyFields.mergeSecrets(
                Map.of(TOKEN, "old"), Map.of(TOKEN, "new"), Set.of(), body))
        .isEqualTo(Map.of(TOKEN, "new"));
  }

  @Test
  void aSecretTheRequestOmitsIsKeptAsArmKeepsWriteOnlyProperties() throws Exception {
    var body = JSON.readTree("{\"properties\":{\"iomt\":{\"auth\":{\"type\":\"bearer\"}}}}");

    assertThat(WriteOnlyFields.mergeSecrets(Map.of(TOKEN, "old"), Map.of(), Set.of(), body))
        .isEqualTo(Map.of(TOKEN, "old"));
  }

  @Test
  void aSecretSetToNullOrWhoseObjectIsGoneIsRemoved() throws Exception {
    var withAuth = JSON.readTree("{\"properties\":{\"iomt\":{\"auth\":{\"type\":\"oauth2\"}}}}");
    var withoutAuth = JSON.readTree("{\"properties\":{\"iomt\":{\"url\":\"https://f\"}}}");

    assertThat(
            WriteOnlyFields.mergeSecrets(
                Map.of(TOKEN, "t", SECRET, "s"), Map.of(), Set.of(TOKEN), withAuth))
        .isEqualTo(Map.of(SECRET, "s"));
    assertThat(WriteOnlyFields.mergeSecrets(Map.of(TOKEN, "t"), Map.of(), Set.of(), withoutAuth))
        .isEmpty();
  }

  @Test
  void aNullInTheRequestIsReportedAsClearedNotStored() {
    ValidatedResource v =
        ResourceValidator.validate(
            ArmExamples.FHIR_SERVICE,
            ("{\"location\": \"westus\", \"properties\": {\"iomt\": {\"auth\": {\"type\":"
                    + " \"none\", \"token\": null}}}}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
            java.util.Optional.empty());

    assertThat(v.clearedSecrets()).containsExactly(TOKEN);
    assertThat(v.body().at("/properties/iomt/auth").has("token")).isFalse();
  }

  @Test
  void theWriteOnlyFieldsAreTheExtensionsSecrets() {
    assertThat(WriteOnlyFields.of(ResourceType.FHIR_SERVICE)).containsExactly(TOKEN, SECRET);
    assertThat(WriteOnlyFields.of(ResourceType.IOT_CONNECTOR))
        .containsExactly(
            "/properties/iomt/source/connectionString",
            "/properties/iomt/source/checkpoints/connectionString",
            "/properties/iomt/deadLetters/eventHub/connectionString");
    assertThat(WriteOnlyFields.of(ResourceType.WORKSPACE)).isEmpty();
  }
}
