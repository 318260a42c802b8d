package io.iomt.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonErrorsTest {
  @Test
  void theBodyIsCodeThenMessageThenExtraFieldsWithJsonEscapes() {
    assertThat(new String(JsonErrors.body("Bad", "a \"quoted\" \\ text"), StandardCharsets.UTF_8))
        .isEqualTo("{\"code\":\"Bad\",\"message\":\"a \\\"quoted\\\" \\\\ text\"}");
    assertThat(
            new String(
                JsonErrors.body("RecordTooLarge", "m", Map.of("acceptedMessages", List.of(0, 2))),
                StandardCharsets.UTF_8))
        .isEqualTo("{\"code\":\"RecordTooLarge\",\"message\":\"m\",\"acceptedMessages\":[0,2]}");
  }

  @Test
  void containerStatusesGetStableCodesAndServerErrorsNoInternals() {
    assertThat(JsonErrors.codeFor(400)).isEqualTo("BadRequest");
    assertThat(JsonErrors.codeFor(404)).isEqualTo("NotFound");
    assertThat(JsonErrors.codeFor(418)).isEqualTo("Http418");
    assertThat(JsonErrors.codeFor(502)).isEqualTo("InternalError");
    assertThat(JsonErrors.messageFor(400, "Invalid URI: [bad escape]"))
        .isEqualTo("Bad Request: Invalid URI: [bad escape]");
    assertThat(JsonErrors.messageFor(404, null)).isEqualTo("Not Found.");
    assertThat(JsonErrors.messageFor(500, "java.lang.NullPointerException at Foo.java:12"))
        .doesNotContain("NullPointer")
        .startsWith("Internal Server Error:");
  }
}
