package io.iomt.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Defect 16: a stage's state changes are logged once each, with the reason, without flooding. */
class StatusHolderTest {
  private final Logger log = (Logger) LoggerFactory.getLogger("io.iomt.pipeline.stage");
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  private Level level;

  @BeforeEach
  void capture() {
    level = log.getLevel();
    log.setLevel(Level.INFO);
    lines.start();
    log.addAppender(lines);
  }

  @AfterEach
  void release() {
    log.detachAppender(lines);
    log.setLevel(level);
  }

  private static StageStatus.Blocked fhirDown(int minute) {
    return new StageStatus.Blocked(
        "FhirServiceUnavailableException",
        "The FHIR server http://fhir/ is unavailable",
        Instant.parse("2026-01-01T10:00:00Z").plusSeconds(60L * minute));
  }

  @Test
  void anHourLongOutageWritesOneLineWhenItStartsAndOneWhenItEnds() {
    StatusHolder status = new StatusHolder("connector icu, stage group");
    status.set(new StageStatus.Running());
    for (int minute = 0; minute < 60; minute++) {
      status.set(fhirDown(minute));
    }
    status.set(new StageStatus.Running());

    assertThat(lines.list)
        .extracting(e -> e.getLevel() + " " + e.getFormattedMessage())
        .containsExactly(
            "WARN connector icu, stage group blocked by FhirServiceUnavailableException: The FHIR"
                + " server http://fhir/ is unavailable (retrying by itself, next at"
                + " 2026-01-01T10:00:00Z)",
            "INFO connector icu, stage group resumed after being blocked");
  }

  @Test
  void aFailureIsLoggedAsAnErrorWithItsStackTraceAndAnotherErrorIsLoggedAgain() {
    StatusHolder status = new StatusHolder("connector icu, stage normalize");
    Instant retry = Instant.parse("2026-01-01T10:00:01Z");
    status.set(
        new StageStatus.Failed("NoClassDefFoundError", "com/example/Gone", retry),
        new NoClassDefFoundError("com/example/Gone"));
    status.set(new StageStatus.Failed("NoClassDefFoundError", "com/example/Gone", retry));
    status.set(new StageStatus.Failed("IllegalStateException", "broker refused", retry));

    assertThat(lines.list).hasSize(2);
    assertThat(lines.list.get(0).getLevel().toString()).isEqualTo("ERROR");
    assertThat(lines.list.get(0).getFormattedMessage())
        .isEqualTo(
            "connector icu, stage normalize failed with NoClassDefFoundError: com/example/Gone"
                + " (restarting at 2026-01-01T10:00:01Z; uncommitted records are replayed)");
    assertThat(lines.list.get(0).getThrowableProxy().getClassName())
        .isEqualTo("java.lang.NoClassDefFoundError");
    assertThat(lines.list.get(1).getFormattedMessage()).contains("IllegalStateException");
  }
}
