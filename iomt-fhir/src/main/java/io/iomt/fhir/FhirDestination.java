package io.iomt.fhir;

import com.github.benmanes.caffeine.cache.Ticker;
import io.iomt.core.observation.ObservationFactory;
import io.iomt.core.retry.Backoff;
import io.iomt.fhir.auth.TokenProvider;
import io.iomt.fhir.http.FhirHttp;
import io.iomt.fhir.http.RetryPolicy;
import io.iomt.fhir.http.Sleeper;
import io.iomt.fhir.identity.IdentityResolver;
import io.iomt.fhir.identity.ResolutionType;
import io.iomt.fhir.write.FhirObservationWriter;
import io.iomt.fhir.write.ObservationWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * Where a connector writes: the FHIR server's base URL, how it authenticates, and how devices and
 * patients are resolved. {@link #writer(Clock)} assembles the HTTP client, the identity resolver
 * and the Observation writer with their caches, the way the service, the CLI and the tests all need
 * them.
 */
public record FhirDestination(
    URI url,
    TokenProvider tokens,
    ResolutionType resolution,
    RetryPolicy retry,
    Duration requestTimeout) {

  /** An unauthenticated server with the default retries: the embedded demo server and tests. */
  public static FhirDestination of(String url, ResolutionType resolution) {
    return new FhirDestination(
        URI.create(url), TokenProvider.none(), resolution, RetryPolicy.DEFAULT, TIMEOUT);
  }

  /** Default time one FHIR request may take. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Typed access to the server, with UTC system time for {@code Retry-After} dates. */
  public FhirResources resources() {
    return resources(Clock.systemUTC());
  }

  /** Typed access to the server; {@code Retry-After} dates are read against {@code clock}. */
  public FhirResources resources(Clock clock) {
    return new FhirResources(
        new FhirHttp(
            url, tokens, retry, Sleeper.SYSTEM, requestTimeout, clock, Backoff.CALLING_THREAD));
  }

  /**
   * A writer with its own HTTP client and caches (identity 5 min, Observations 10 min), all timed
   * by {@code clock}: cache ages, {@code Retry-After} dates and the Observations' {@code issued}.
   */
  public ObservationWriter writer(Clock clock) {
    FhirResources fhir = resources(clock);
    Ticker ticker = ClockTicker.of(clock);
    return new FhirObservationWriter(
        fhir,
        new IdentityResolver(fhir, IdentityResolver.Config.of(resolution), ticker),
        new ObservationFactory(clock),
        FhirObservationWriter.Config.DEFAULT,
        ticker);
  }
}
