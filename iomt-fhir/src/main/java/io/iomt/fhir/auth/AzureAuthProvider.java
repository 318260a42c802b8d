package io.iomt.fhir.auth;

import java.net.URI;
import java.time.Clock;

/**
 * Service-provider interface for Azure identity, found with {@link java.util.ServiceLoader}: the
 * iomt-azure module implements it, so the Azure SDK stays out of iomt-fhir and out of programs that
 * do not ship iomt-azure (the CLI). Without an implementation on the class path, {@link FhirAuth}
 * reports an Azure setting as a configuration problem.
 *
 * <p>Implementations have a public no-argument constructor and are thread-safe and stateless.
 */
public interface AzureAuthProvider {

  /**
   * A token provider for the FHIR server at {@code fhirUrl}, which also names the token's audience.
   * Builds the credential only; no token is fetched here, so no network is needed.
   *
   * @param settings checked Azure settings, not null
   * @param fhirUrl the FHIR server's base URL, not null
   * @param clock the clock token lifetimes are measured with, not null
   * @throws RuntimeException when the SDK refuses a setting (e.g. a malformed tenant id); its
   *     message must not hold the client secret
   */
  TokenProvider tokenProvider(FhirAuthSettings.Azure settings, URI fhirUrl, Clock clock);
}
