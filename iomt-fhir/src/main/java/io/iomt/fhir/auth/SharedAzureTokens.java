package io.iomt.fhir.auth;

import java.net.URI;
import java.time.Clock;

/**
 * Tokens from the program's shared Azure credential, for FHIR auth type {@code azure}: the service
 * gives one to {@link FhirAuth#withSharedAzureCredential} when {@code iomt.azure.credential.*} is
 * set. Implementations are thread-safe.
 */
@FunctionalInterface
public interface SharedAzureTokens {

  /**
   * A token provider for the FHIR server at {@code fhirUrl} (the token's audience). Fetches no
   * token.
   *
   * @param fhirUrl the FHIR server's base URL, not null
   * @param clock the clock token lifetimes are measured with, not null
   */
  TokenProvider tokenProvider(URI fhirUrl, Clock clock);
}
