package io.iomt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.iomt.testkit.HapiFhirServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code iomt mapping test --fhir-url}: resolves identities and writes for real. */
class MappingTestAgainstServerIT {
  static final Path SAMPLES = Path.of("").toAbsolutePath().getParent().resolve("samples");

  private static JsonNode run(String url) throws Exception {
    CliRun run =
        CliRun.of(
            "mapping",
            "test",
            "--device-mapping",
            SAMPLES.resolve("device-mapping.json").toString(),
            "--fhir-mapping",
            SAMPLES.resolve("fhir-mapping.json").toString(),
            "--input",
            SAMPLES.resolve("events.json").toString(),
            "--fhir-url",
            url,
            "--identity-resolution",
            "Create");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    return new ObjectMapper().readTree(run.out());
  }

  @Test
  void itWritesTheObservationsAndARerunWritesNothingNew() throws Exception {
    String url = HapiFhirServer.shared().baseUrl();
    JsonNode first = run(url);
    assertThat(first.path("observations")).hasSize(3);
    assertThat(first.path("observations").findValuesAsText("versionId")).hasSize(3);
    JsonNode again = run(url);
    assertThat(again.path("observations").findValuesAsText("id"))
        .containsExactlyInAnyOrderElementsOf(first.path("observations").findValuesAsText("id"));
    assertThat(again.path("observations").findValuesAsText("versionId"))
        .containsExactlyInAnyOrderElementsOf(
            first.path("observations").findValuesAsText("versionId"));
  }
}
