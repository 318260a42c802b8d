package io.iomt.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
  void thePortIsANumberFromOneTo65535() {
    assertThat(DemoMain.parse(new String[] {"--keep-running", "--port", "9090"}))
        .isEqualTo(Map.of("--keep-running", "", "--port", "9090"));
    assertThatThrownBy(() -> DemoMain.parse(new String[] {"--port=http"}))
        .hasMessage("--port needs a port number (1-65535), not http");
    assertThatThrownBy(() -> DemoMain.parse(new String[] {"--port", "0"}))
        .hasMessage("--port needs a port number (1-65535), not 0");
  }

  @Test
  void theGivenPortIsUsedElseAFreeOneUnlessKeepRunningFinds8080Free() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    assertThat(DemoMain.port(Map.of("--port", "9090"), true, out)).isEqualTo(9090);
    assertThat(DemoMain.port(Map.of(), false, out)).isZero();
    assertThat(bytes.size()).isZero();

    try (ServerSocket taken = new ServerSocket()) {
      try {
        taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080));
      } catch (IOException takenAlready) {
        // Someone else holds 8080: just as good for this test.
      }

      assertThat(DemoMain.port(Map.of(), true, out)).isZero();
    }
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "demo: port 8080 is taken; the service listens on a free port (choose one with --port"
                + " N)"
                + System.lineSeparator());
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
