package io.iomt.embedded.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Finds loopback ports that are free right now. Another process may take one before the broker
 * binds it; on a test machine that is rare enough. Stateless.
 */
final class LoopbackPorts {

  private LoopbackPorts() {}

  /**
   * A free port other than {@code taken}: ports found free one after the other can be the same one
   * (nothing holds them in between), and two listeners of one broker must never share a port.
   */
  static int free(int... taken) {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("no free loopback port", e);
      }
      if (java.util.Arrays.stream(taken).noneMatch(t -> t == port)) {
        return port;
      }
    }
    throw new IllegalStateException(
        "no free loopback port besides " + java.util.Arrays.toString(taken));
  }
}
