package io.iomt.service.console;

/**
 * A refused console request: its HTTP status and the error {@code code} and {@code message} of
 * docs/console.md ({@code {"error":{"code","message"}}}). Messages never hold secrets.
 */
final class DebuggerRefusal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  DebuggerRefusal(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  static DebuggerRefusal invalid(String message) {
    return new DebuggerRefusal(400, "InvalidRequest", message);
  }

  static DebuggerRefusal notFound(String connector) {
    return new DebuggerRefusal(
        404, "ConnectorNotFound", "No connector named '" + connector + "' runs here.");
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }
}
