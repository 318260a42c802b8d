package io.iomt.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;

class DemoMainTest {

  @Test
  void optionsTakeTheirValueAfterASpaceOrAnEqualsSign() {
    assertThat(DemoMain.parse(new String[] {"--data-dir", "/tmp/d", "--stream=s.jsonl"}))
        .isEqualTo(Map.of("--data-dir", "/tmp/d", "--stream", "s.jsonl"));
    assertThat(DemoMain.parse(new String[] {"--keep-running", "-h"}))
        .isEqualTo(Map.of("--keep-running", "", "--help", ""));
  }

  @Test
  void unknownOptionsAndMissingValuesAreUsageErrors() {
    assertThatThrownBy(() -> DemoMain.parse(new String[] {"--fast"}))
        .hasMessage("unknown option --fast");
    assertThatThrownBy(() -> DemoMain.parse(new String[] {"--data-dir"}))
        .hasMessage("--data-dir needs a value");
    assertThatThrownBy(() -> DemoMain.parse(new String[] {"--keep-running=yes"}))
        .hasMessage("--keep-running takes no value");
  }

  @Test
  void aUsageErrorExitsWithTwoAndShowsTheUsageOnStandardError() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    int code = DemoMain.run(new String[] {"--nope"}, System.out, err, false);

    assertThat(code).isEqualTo(2);
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .startsWith("demo: unknown option --nope")
        .contains("usage: java -jar iomt-demo/target/iomt-demo.jar");
  }

  @Test
  void aServiceThatFailedToStartIsExplainedByItsRootCause() {
    RuntimeException failure =
        new BeanCreationException(
            "kafkaRuntime",
            "Failed to instantiate",
            new IllegalStateException("Failed to acquire lock on file .lock in /d/kafka"));

    assertThat(DemoMain.message(failure))
        .isEqualTo("Failed to acquire lock on file .lock in /d/kafka");
    assertThat(DemoMain.message(new IllegalStateException("top", new RuntimeException("cause"))))
        .isEqualTo("top");
  }
}
