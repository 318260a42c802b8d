package io.iomt.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no HTTP client would send (a malformed request line, a
 * bad URL escape, a header over the limit, a body that dribbles in) and to see whether the server
 * closes the connection after its answer.
 */
final class RawHttp implements AutoCloseable {
  /** An answer: status, headers (lower-case names), body, and whether the server then closed. */
  record Answer(int status, Map<String, String> headers, String body) {}

  private final Socket socket;

  /**
   * Connects to the service at {@code baseUrl} from {@code localAddress} (any loopback address).
   */
  RawHttp(String baseUrl, String localAddress) throws IOException {
    URI uri = URI.create(baseUrl);
    socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
    socket.setSoTimeout(60_000);
  }

  /** One request as the given text, answered; the connection stays open. */
  static Answer exchange(String baseUrl, String request) throws IOException {
    try (RawHttp http = new RawHttp(baseUrl, "127.0.0.1")) {
      http.send(request.getBytes(StandardCharsets.ISO_8859_1));
      return http.read();
    }
  }

  void send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
  }

  /** Reads one answer (status line, headers, a Content-Length or chunked body, or to the end). */
  Answer read() throws IOException {
    InputStream in = socket.getInputStream();
    String status = line(in);
    if (status == null) {
      throw new IOException("closed without an answer");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      headers.put(
          h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (headers.containsKey("content-length")) {
      body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      for (int size = Integer.parseInt(line(in).trim(), 16);
          size > 0;
          size = Integer.parseInt(line(in).trim(), 16)) {
        body.write(in.readNBytes(size));
        line(in);
      }
      line(in);
    } else {
      body.write(in.readAllBytes());
    }
    return new Answer(
        Integer.parseInt(status.split(" ")[1]), headers, body.toString(StandardCharsets.UTF_8));
  }

  /** Whether the server closed the connection (the next read ends the stream). */
  boolean closedByServer() throws IOException {
    try {
      return socket.getInputStream().read() < 0;
    } catch (java.net.SocketException e) {
      return true; // reset
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder s = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        return s.toString().endsWith("\r") ? s.substring(0, s.length() - 1) : s.toString();
      }
      s.append((char) c);
    }
    return s.isEmpty() ? null : s.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
