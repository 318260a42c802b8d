package io.iomt.fhir.auth;

import java.util.Optional;

/**
 * Supplies the bearer token for FHIR requests. Implementations cache tokens and refresh them before
 * they expire; they are thread-safe. A token never appears in logs or exception messages.
 */
public interface TokenProvider {

  /** The current token, or empty for an unauthenticated server. */
  Optional<String> token();

  /** Drops a cached token the server refused, so the next {@link #token()} fetches a new one. */
  default void invalidate() {}

  /** No authentication. */
  static TokenProvider none() {
    return Optional::empty;
  }

  /** A fixed bearer token (e.g. from a vault); cannot be refreshed. */
  static TokenProvider staticToken(Secret token) {
    return () -> Optional.of(token.reveal());
  }
}
