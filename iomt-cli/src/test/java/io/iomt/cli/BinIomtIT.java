package io.iomt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/iomt} launches the packaged CLI (runs after {@code package}, in {@code verify}). */
class BinIomtIT {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  record Result(int exitCode, String out, String err) {}

  private static Result run(Path script, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(script.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("iomt-out", ".txt");
    Path err = Files.createTempFile("iomt-err", ".txt");
    Process p =
        new ProcessBuilder(command)
            .directory(ROOT.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("bin/iomt finished").isTrue();
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void theReadmeRunCommandNormalizesTheBundledSamples() throws Exception {
    Result r =
        run(
            ROOT.resolve("bin/iomt"),
            "normalize",
            "--device-mapping",
            "samples/device-mapping.json",
            "--input",
            "samples/events.json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode measurements = new ObjectMapper().readTree(r.out());
    assertThat(measurements).hasSize(4);
    assertThat(measurements.findValuesAsText("type"))
        .containsExactly("heartrate", "bloodpressure", "spo2", "spo2");
  }

  @Test
  void validateThroughTheLauncherKeepsTheExitCodeContract() throws Exception {
    Result r = run(ROOT.resolve("bin/iomt"), "validate", "--device-mapping", "README.md");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("README.md:1:").contains("not valid JSON");
  }

  @Test
  void theLauncherSaysHowToBuildWhenTheJarIsMissing(@TempDir Path checkout) throws Exception {
    Path bin = Files.createDirectories(checkout.resolve("bin"));
    Path script = Files.copy(ROOT.resolve("bin/iomt"), bin.resolve("iomt"));
    assertThat(script.toFile().setExecutable(true)).isTrue();
    Result r = run(script, "normalize");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains("the CLI is not built yet")
        .contains("mvn -q -DskipTests package")
        .contains(checkout + File.separator + "iomt-cli");
  }
}
