package io.iomt.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StreamFileTest {

  private static final Path FILE = Path.of("src/main/resources", DemoStream.BUNDLED);

  @Test
  void theBundledStreamIsWhatTheGeneratorMakesOfTheBundledPlan() throws IOException {
    String generated =
        String.join("\n", StreamGenerator.messages(StreamGenerator.Plan.BUNDLED)) + "\n";
    if (Boolean.getBoolean("regenerate")) {
      Files.writeString(FILE, generated, StandardCharsets.UTF_8);
    }

    assertThat(Files.readString(FILE, StandardCharsets.UTF_8))
        .as(
            "%s differs from StreamGenerator's output; regenerate it with"
                + " mvn -o -pl iomt-demo test -Dtest=StreamFileTest -Dregenerate=true",
            FILE)
        .isEqualTo(generated);
  }
}
