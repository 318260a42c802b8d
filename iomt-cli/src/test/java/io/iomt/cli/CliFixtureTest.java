package io.iomt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.iomt.core.fixtures.GoldenFixture;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden fixture gives the same result through {@code iomt normalize}. */
class CliFixtureTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<GoldenFixture> corpus() {
    return GoldenFixture.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void normalizePrintsTheExpectedResultAndExitCode(GoldenFixture fixture) throws Exception {
    CliRun run =
        CliRun.of(
            "normalize",
            "--device-mapping",
            fixture.mappingFile().toString(),
            "--input",
            fixture.inputFile().toString());

    assertThat(run.exitCode())
        .as("exit code; stderr: %s", run.err())
        .isEqualTo(fixture.expectedExitCode());
    switch (run.exitCode()) {
      case 0 -> assertThat(JSON.readTree(run.out())).isEqualTo(fixture.expectedOutput());
      case 1 -> {
        assertThat(run.err()).contains(fixture.expectedError().path("error").asText());
        for (String fragment : fixture.expectedMessageFragments()) {
          assertThat(run.err()).contains(fragment);
        }
      }
      default -> {
        for (GoldenFixture.ExpectedProblem p : fixture.expectedProblems()) {
          assertThat(run.err().lines())
              .anySatisfy(
                  line ->
                      assertThat(line)
                          .startsWith(
                              fixture.mappingFile() + ":" + p.line() + ":" + p.column() + ": ")
                          .contains(p.contains()));
        }
        assertThat(run.out()).isEmpty();
      }
    }
  }
}
