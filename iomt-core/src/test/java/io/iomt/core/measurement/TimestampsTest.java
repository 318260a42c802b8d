package io.iomt.core.measurement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "2021-07-07T17:00:00Z, 2021-07-07T17:00:00Z",
    "2021-07-07T17:00:00, 2021-07-07T17:00:00Z",
    "2021-07-07 17:00:00, 2021-07-07T17:00:00Z",
    "2021-07-07T17:00, 2021-07-07T17:00:00Z",
    "2021-07-07, 2021-07-07T00:00:00Z",
    "2021-07-07T19:00:00+02:00, 2021-07-07T17:00:00Z",
    "2021-07-07T19:00:00+0200, 2021-07-07T17:00:00Z",
    "2021-07-07T12:00:00-05, 2021-07-07T17:00:00Z",
    "2021-07-07T17:00:00.5Z, 2021-07-07T17:00:00.5Z",
    "2021-07-07T17:00:00.1234567Z, 2021-07-07T17:00:00.1234567Z",
    "2021-07-07T17:00:00.123456789Z, 2021-07-07T17:00:00.1234567Z",
    "2021-07-07T17:00:00.1200000Z, 2021-07-07T17:00:00.12Z",
    "2021-07-07t17:00:00z, 2021-07-07T17:00:00Z",
  })
  void acceptedFormsParseToUtcKeepingSevenFractionalDigits(String text, String expected) {
    Instant parsed = Timestamps.parse(text).orElseThrow();
    assertThat(Timestamps.format(parsed)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "yesterday",
        "1625677200",
        "2021-13-01T00:00:00Z",
        "2021-02-30T00:00:00Z",
        "2021-07-07T25:00:00Z",
        "2021-07-07T17:00:00.Z",
        "2021-07-07T17:00:00+2",
        "2021-07-07T17:00:00 UTC",
        "07/07/2021 17:00"
      })
  void anythingElseIsNotATimestamp(String text) {
    assertThat(Timestamps.parse(text)).isEmpty();
  }
}
