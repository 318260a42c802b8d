package io.iomt.service.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Reads a request body of at most {@code maxBytes} within {@code timeout} of the first read: a
 * client that dribbles its body is answered 408 when the deadline passes (checked after every read;
 * a read that gets nothing at all ends with the server's socket timeout, {@code
 * server.tomcat.connection-timeout}). Thread-safe (stateless but for the clock).
 */
final class BodyReader {
  private static final int CHUNK = 8192;
  private static final int FIRST = 64 * 1024;

  private final long maxBytes;
  private final Duration timeout;
  private final Clock clock;

  BodyReader(long maxBytes, Duration timeout, Clock clock) {
    this.maxBytes = maxBytes;
    this.timeout = timeout;
    this.clock = clock;
  }

  /**
   * @param declaredLength the Content-Length, or -1 when none was sent (chunked)
   * @throws IngestRefusal 413 when the body is larger than allowed, 408 when it did not arrive in
   *     time, 400 when it could not be read
   */
  byte[] read(long declaredLength, InputStream in) {
    if (declaredLength > maxBytes) {
      throw tooLarge(declaredLength);
    }
    Instant deadline = clock.instant().plus(timeout);
    int cap = (int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8);
    // Grows as bytes arrive: a declared length is a claim, not memory to hand out before the body
    // comes (many slow clients each claiming the maximum).
    byte[] buf =
        new byte
            [(int)
                Math.min(cap, declaredLength >= 0 ? Math.min(declaredLength + 1, FIRST) : CHUNK)];
    int n = 0;
    try {
      while (true) {
        if (n == buf.length) {
          if (n == cap) {
            throw tooLarge(-1);
          }
          buf = Arrays.copyOf(buf, (int) Math.min(cap, Math.max(CHUNK, 2L * n)));
        }
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) {
          break;
        }
        n += r;
        if (clock.instant().isAfter(deadline)) {
          throw timedOut(n);
        }
      }
    } catch (SocketTimeoutException e) {
      throw timedOut(n);
    } catch (IOException e) {
      if (e.getCause() instanceof SocketTimeoutException) {
        throw timedOut(n);
      }
      throw new IngestRefusal(
          RefusalCode.BAD_REQUEST, "The request body could not be read: " + e.getMessage());
    }
    if (n > maxBytes) {
      throw tooLarge(-1);
    }
    return n == buf.length ? buf : Arrays.copyOf(buf, n);
  }

  private IngestRefusal timedOut(int received) {
    return new IngestRefusal(
        RefusalCode.REQUEST_TIMEOUT,
        "The request body did not arrive within "
            + Durations.format(timeout)
            + " ("
            + received
            + " bytes received; iomt.ingest.read-timeout).");
  }

  private IngestRefusal tooLarge(long size) {
    return new IngestRefusal(
        RefusalCode.REQUEST_TOO_LARGE,
        "The request body is "
            + (size > maxBytes ? size + " bytes" : "over " + maxBytes + " bytes")
            + "; the limit is "
            + maxBytes
            + " bytes (iomt.ingest.max-request-size).");
  }
}
