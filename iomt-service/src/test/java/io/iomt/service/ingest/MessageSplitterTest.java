package io.iomt.service.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageSplitterTest {
  private static final MessageSplitter SPLITTER =
      new MessageSplitter(new MessageSplitter.Limits(200, 3, 10, 10_000));

  private static List<DeviceMessage> split(String body) {
    return SPLITTER.split(body.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void eachMessageIsTheExactByteRangeOfTheRequestNotAReserializedTree() {
    String first =
        "{ \"t\" : 98.60000000000000001, \"deviceId\":\"d-1\", \"a\":\"caf\\u00e9 \\/\" }";
    String second = "{\"b\":[1, 2.50,\ttrue ],\"a\":1E2}";
    List<DeviceMessage> messages = split("[\n  " + first + " ,\n\t" + second + "\n]");

    assertThat(messages).extracting(m -> text(m.value())).containsExactly(first, second);
    assertThat(messages).extracting(DeviceMessage::index).containsExactly(0, 1);
  }

  @Test
  void aSingleMessageIsTheBodyWithoutSurroundingWhitespace() {
    assertThat(text(split(" \r\n{\"x\": 0.1000} \n").get(0).value())).isEqualTo("{\"x\": 0.1000}");
    assertThat(text(split("42").get(0).value())).isEqualTo("42");
    assertThat(text(split(" \"text\" ").get(0).value())).isEqualTo("\"text\"");
    assertThat(split("[1, \"two\" ,3.0 ]"))
        .extracting(m -> text(m.value()))
        .containsExactly("1", "\"two\"", "3.0");
  }

  @Test
  void aTopLevelStringDeviceIdIsTheKeyAndNothingElseIs() {
    MessageSplitter splitter = new MessageSplitter(new MessageSplitter.Limits(200, 10, 10, 10_000));
    List<DeviceMessage> m =
        splitter.split(
            ("[{\"deviceId\":\"caf\\u00e9\"},{\"deviceId\":7},{\"inner\":{\"deviceId\":\"no\"}},"
                    + "{\"deviceId\":\"first\",\"deviceId\":{\"x\":1},\"y\":2}]")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(m).hasSize(4);
    assertThat(text(m.get(0).key())).isEqualTo("café");
    assertThat(m.get(1).key()).isNull();
    assertThat(m.get(2).key()).isNull();
    assertThat(m.get(3).key()).isNull();
  }

  @Test
  void aLoneSurrogateEscapeIsRefusedNamingTheMessageAndItsPosition() {
    assertThatThrownBy(() -> split("[{\"deviceId\":\"a\"},{\"deviceId\":\"dev\\ud800\"}]"))
        .isInstanceOfSatisfying(
            IngestRefusal.class,
            r -> {
              assertThat(r.code).isEqualTo(RefusalCode.INVALID_UNICODE);
              assertThat(r.getMessage())
                  .startsWith("Message 1 of the array has a lone surrogate (\\ud800) in the string")
                  .contains("at byte 30 (line 1, column 31)");
            });
    assertThatThrownBy(() -> split("{\"\\udc00key\":1}"))
        .isInstanceOfSatisfying(
            IngestRefusal.class,
            r ->
                assertThat(r.getMessage())
                    .startsWith("The message has a lone surrogate (\\udc00) in the field name"));
  }

  @Test
  void aSurrogatePairEscapeIsValid() {
    assertThat(text(split("{\"deviceId\":\"\\ud83d\\ude00\"}").get(0).key())).isEqualTo("😀");
  }

  @Test
  void overlongAndEncodedSurrogateAndInvalidBytesAreRefusedWithTheMessageAndByte() {
    for (int[] bad :
        new int[][] {{0xC0, 0xAF}, {0xED, 0xA0, 0x80}, {0xFF}, {0xF4, 0x90, 0x80, 0x80}}) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.writeBytes("[{\"a\":1},{\"deviceId\":\"dev".getBytes(StandardCharsets.US_ASCII));
      for (int b : bad) {
        body.write(b);
      }
      body.writeBytes("\"}]".getBytes(StandardCharsets.US_ASCII));
      assertThatThrownBy(() -> SPLITTER.split(body.toByteArray()))
          .isInstanceOfSatisfying(
              IngestRefusal.class,
              r -> {
                assertThat(r.code).isEqualTo(RefusalCode.INVALID_UNICODE);
                assertThat(r.getMessage())
                    .startsWith(
                        "Message 1 of the array is not valid UTF-8 at byte 25 (0x"
                            + Integer.toHexString(bad[0]).toUpperCase());
              });
    }
  }

  @Test
  void distinctDeviceIdsStayDistinct() {
    byte[] slash = "{\"deviceId\":\"a/b\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(text(SPLITTER.split(slash).get(0).key())).isEqualTo("a/b");
  }

  @Test
  void oneMessageMoreThanTheLimitIsRefusedAsTooManyMessages() {
    assertThat(split("[1,2,3]")).hasSize(3);
    assertThatThrownBy(() -> split("[1,2,3,4" + ",5".repeat(100_000) + "]"))
        .isInstanceOfSatisfying(
            IngestRefusal.class,
            r -> {
              assertThat(r.code).isEqualTo(RefusalCode.TOO_MANY_MESSAGES);
              assertThat(r.code.status).isEqualTo(413);
              assertThat(r.getMessage())
                  .isEqualTo(
                      "The array holds more than 3 messages; the limit is 3 per request"
                          + " (iomt.ingest.max-messages-per-request). Send them in several requests.");
            });
  }

  @Test
  void aMessageOverTheSizeLimitIsRefusedWithItsIndexAndSize() {
    String big = "{\"pad\":\"" + "x".repeat(200) + "\"}";
    assertThatThrownBy(() -> split("[1," + big + "]"))
        .isInstanceOfSatisfying(
            IngestRefusal.class,
            r -> {
              assertThat(r.code).isEqualTo(RefusalCode.MESSAGE_TOO_LARGE);
              assertThat(r.getMessage())
                  .isEqualTo(
                      "Message 1 of the array is 210 bytes; the limit is 200 bytes"
                          + " (iomt.ingest.max-message-size).");
            });
    String exact = "{\"pad\":\"" + "x".repeat(190) + "\"}";
    assertThat(split(exact).get(0).value()).hasSize(200);
  }

  @Test
  void limitsAndSyntaxErrorsSayWhichLimitOrWhere() {
    assertRefused(
        "[".repeat(20) + "]".repeat(20), RefusalCode.INVALID_JSON, "max-nesting-depth 10");
    assertThatThrownBy(() -> split("[" + "9".repeat(5000) + "]"))
        .isInstanceOfSatisfying(
            IngestRefusal.class,
            r ->
                assertThat(r.getMessage())
                    .contains("a number of 5000 digits is longer than the maximum of 1000 digits")
                    .doesNotContain("nesting"));
    assertRefused(
        "{\"heartRate\": 7",
        RefusalCode.INVALID_JSON,
        "The request body is not JSON (line 1, column 16, byte 15)");
    assertRefused("[1, {\"a\" 2}]", RefusalCode.INVALID_JSON, "in message 1 of the array");
    assertRefused("{} {}", RefusalCode.INVALID_JSON, "more follows its value at byte 3");
    assertRefused("[]", RefusalCode.EMPTY_BATCH, "no messages");
    assertRefused("", RefusalCode.EMPTY_BODY, "empty");
    assertRefused("  ", RefusalCode.INVALID_JSON, "no JSON value");
    assertRefused("null", RefusalCode.INVALID_JSON, "is null");
    assertRefused("[1,null]", RefusalCode.INVALID_JSON, "Message 1 of the array is null");
  }

  private static void assertRefused(String body, RefusalCode code, String text) {
    assertThatThrownBy(() -> split(body))
        .isInstanceOfSatisfying(
            IngestRefusal.class,
            r -> {
              assertThat(r.code).isEqualTo(code);
              assertThat(r.getMessage()).contains(text);
            });
  }
}
