package io.iomt.azure;

import io.iomt.fhir.auth.AzureAuthProvider;
import io.iomt.fhir.auth.FhirAuthSettings;
import io.iomt.fhir.auth.TokenProvider;
import java.net.URI;
import java.time.Clock;

/**
 * iomt-fhir's Azure identity provider, registered in {@code
 * META-INF/services/io.iomt.fhir.auth.AzureAuthProvider}: with this module on the class path, the
 * {@code azure-*} auth types work wherever {@code FhirAuth} builds FHIR authentication. Stateless
 * and thread-safe.
 */
public final class AzureIdentityAuthProvider implements AzureAuthProvider {

  /** Used by {@link java.util.ServiceLoader}. */
  public AzureIdentityAuthProvider() {}

  @Override
  public TokenProvider tokenProvider(FhirAuthSettings.Azure settings, URI fhirUrl, Clock clock) {
    return new AzureIdentityTokenProvider(AzureCredentials.of(settings), fhirUrl.toString(), clock);
  }
}
