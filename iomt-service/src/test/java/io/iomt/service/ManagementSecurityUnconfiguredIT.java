package io.iomt.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Secure by default: a service with neither management API keys nor an OAuth2 issuer refuses every
 * management request, whatever it presents, and says how to configure authentication.
 */
class ManagementSecurityUnconfiguredIT {
  static final String WORKSPACE = ManagementSecurityIT.WORKSPACE;
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void withoutAnyAuthenticationConfiguredEveryManagementRequestIsRefusedWithHowToConfigure()
      throws Exception {
    Map<String, Object> p =
        RunningService.defaults(
            Files.createTempDirectory("iomt-management-open"), "http://127.0.0.1:9/fhir");
    try (RunningService open = RunningService.start(p)) {
      for (String method : List.of("GET", "PUT")) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(open.baseUrl + WORKSPACE))
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .header("X-API-Key", ManagementSecurityIT.CONTRIBUTOR_KEY)
                    .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(new ObjectMapper().readTree(r.body()).get("error").get("message").asText())
            .contains("iomt.management.api-keys")
            .contains("iomt.management.oauth2.issuer-uri");
      }
    }
  }
}
