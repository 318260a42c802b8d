package io.iomt.service.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iomt.testkit.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BodyReaderTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final BodyReader reader = new BodyReader(100, Duration.ofSeconds(5), clock);

  /** A client that sends one byte per read, a second apart on the injected clock. */
  private InputStream dribbling(int bytes) {
    return new InputStream() {
      int left = bytes;

      @Override
      public int read() {
        if (left == 0) {
          return -1;
        }
        left--;
        clock.advance(Duration.ofSeconds(1));
        return ' ';
      }

      @Override
      public int read(byte[] b, int off, int len) {
        int c = read();
        if (c < 0) {
          return -1;
        }
        b[off] = (byte) c;
        return 1;
      }
    };
  }

  @Test
  void aBodyWithinTheLimitsIsReadWhole() {
    byte[] body = "[1,2,3]".getBytes();
    assertThat(reader.read(body.length, new ByteArrayInputStream(body))).isEqualTo(body);
    assertThat(reader.read(-1, new ByteArrayInputStream(body))).isEqualTo(body);
    assertThat(reader.read(-1, dribbling(4))).hasSize(4);
  }

  @Test
  void aBodyThatDribblesPastTheDeadlineIs408() {
    assertThatThrownBy(() -> reader.read(50, dribbling(50)))
        .isInstanceOfSatisfying(
            IngestRefusal.class,
            r -> {
              assertThat(r.code).isEqualTo(RefusalCode.REQUEST_TIMEOUT);
              assertThat(r.code.status).isEqualTo(408);
              assertThat(r.getMessage())
                  .isEqualTo(
                      "The request body did not arrive within 5 s (6 bytes received;"
                          + " iomt.ingest.read-timeout).");
            });
  }

  @Test
  void theServersSocketTimeoutIsA408AndOtherReadFailuresA400() {
    InputStream silent =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("wrapped", new SocketTimeoutException("Read timed out"));
          }
        };
    assertThatThrownBy(() -> reader.read(10, silent))
        .isInstanceOfSatisfying(
            IngestRefusal.class, r -> assertThat(r.code).isEqualTo(RefusalCode.REQUEST_TIMEOUT));
    InputStream broken =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("Connection reset");
          }
        };
    assertThatThrownBy(() -> reader.read(10, broken))
        .isInstanceOfSatisfying(
            IngestRefusal.class,
            r -> {
              assertThat(r.code).isEqualTo(RefusalCode.BAD_REQUEST);
              assertThat(r.getMessage()).endsWith("Connection reset");
            });
  }

  @Test
  void aBodyOverTheLimitIs413WhetherDeclaredOrNot() {
    assertThatThrownBy(() -> reader.read(101, new ByteArrayInputStream(new byte[0])))
        .isInstanceOfSatisfying(
            IngestRefusal.class,
            r ->
                assertThat(r.getMessage())
                    .isEqualTo(
                        "The request body is 101 bytes; the limit is 100 bytes"
                            + " (iomt.ingest.max-request-size)."));
    assertThatThrownBy(() -> reader.read(-1, new ByteArrayInputStream(new byte[5000])))
        .isInstanceOfSatisfying(
            IngestRefusal.class,
            r -> {
              assertThat(r.code).isEqualTo(RefusalCode.REQUEST_TOO_LARGE);
              assertThat(r.getMessage()).startsWith("The request body is over 100 bytes");
            });
    assertThat(reader.read(-1, new ByteArrayInputStream(new byte[100]))).hasSize(100);
  }
}
