package io.iomt.deploy.bicep;

/** A Bicep file the reader cannot read: unbalanced brackets, an unterminated string, ... */
public final class BicepSyntaxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BicepSyntaxException(String source, int line, String message) {
    super(source + ":" + line + ": " + message);
  }
}
