package io.iomt.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DemoStreamTest {

  @Test
  void oneMessagePerLineBlankLinesIgnored() {
    DemoStream stream = read("{\"a\":1}\n\n  {\"b\":2}  \n");

    assertThat(stream.messages()).containsExactly("{\"a\":1}", "{\"b\":2}");
  }

  @Test
  void aLineThatIsNotAJsonObjectIsNamed() {
    assertThatThrownBy(() -> read("{\"a\":1}\n{\"b\":\n"))
        .hasMessageStartingWith("s.jsonl:2: not JSON");
    assertThatThrownBy(() -> read("[1,2]\n"))
        .hasMessage("s.jsonl:1: expected one JSON object per line, got ARRAY");
    assertThatThrownBy(() -> read("\n")).hasMessage("s.jsonl holds no messages");
  }

  @Test
  void theBundledStreamHasTheMessagesOfTheBundledPlan() {
    assertThat(DemoStream.bundled().messages())
        // 2748 messages of the plan's devices, and the first monitor's one on new firmware
        .hasSize(2749)
        .isEqualTo(StreamGenerator.messages(StreamGenerator.Plan.BUNDLED));
  }

  private static DemoStream read(String text) {
    return DemoStream.read(
        "s.jsonl", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }
}
