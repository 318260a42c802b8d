package io.iomt.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @Test
  void withoutATerminalItPrintsALineAtEveryTenthAndNoCarriageReturns() {
    ProgressBar bar = new ProgressBar(out, false, "ingest", 200);
    for (int done = 0; done <= 200; done += 5) {
      bar.update(done, done + "/200");
    }
    bar.finish(200, "200/200 in 1.0 s");

    String printed = text();
    assertThat(printed).doesNotContain("\r");
    assertThat(printed.lines()).hasSize(12);
    assertThat(printed.lines().toList().get(5))
        .isEqualTo("ingest [###############---------------]  50%  100/200");
    assertThat(printed.lines().toList().get(10)).endsWith("100%  200/200");
    // The final state, when it says more than the last line did.
    assertThat(printed.lines().toList().get(11)).endsWith("100%  200/200 in 1.0 s");
  }

  @Test
  void finishPrintsNothingWhenTheLastLineSaidItAll() {
    ProgressBar bar = new ProgressBar(out, false, "FHIR", 10);
    bar.update(10, "10/10");
    bar.finish(10, "10/10");

    assertThat(text().lines()).hasSize(1);
  }

  @Test
  void finishPrintsTheFinalStateWhenTheLastTenthWasNotReached() {
    ProgressBar bar = new ProgressBar(out, false, "FHIR", 10);
    bar.update(3, "3/10");
    bar.finish(7, "7/10, gave up");
    bar.update(10, "ignored");

    assertThat(text().lines())
        .containsExactly(
            "FHIR   [#########---------------------]  30%  3/10",
            "FHIR   [#####################---------]  70%  7/10, gave up");
  }

  @Test
  void onATerminalItRedrawsOneLineAndEndsItWhenFinished() {
    ProgressBar bar = new ProgressBar(out, true, "ingest", 4);
    bar.update(1, "1/4, a longer detail");
    bar.finish(4, "4/4");

    String printed = text();
    assertThat(printed)
        .startsWith("\ringest")
        .contains("\ringest [")
        .endsWith("4/4" + " ".repeat(17) + System.lineSeparator());
    assertThat(printed.chars().filter(c -> c == '\n')).hasSize(1);
  }

  @Test
  void moreThanTheTotalShowsAFullBar() {
    ProgressBar bar = new ProgressBar(out, false, "FHIR", 10);
    assertThat(bar.line(12, "12/10"))
        .isEqualTo("FHIR   [##############################] 100%  12/10");
  }

  private String text() {
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
