package io.iomt.service;

import io.iomt.fhir.FhirDestination;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code GET [base]/metadata} with a destination's credentials: what the FHIR health check shows
 * and what provisioning checks before a connector runs. Stateless and thread-safe (the HTTP client
 * is shared).
 */
final class FhirMetadata {
  private FhirMetadata() {}

  /** How the server answered. */
  sealed interface Answer {
    /** It answered with this HTTP status. */
    record Status(int code) implements Answer {}

    /** No token could be had for it: the credentials or the token endpoint refused. */
    record NoToken(Exception error) implements Answer {}

    /** It could not be reached (connection refused, timeout, TLS, name resolution). */
    record Unreachable(Exception error) implements Answer {}
  }

  /** Asks the server for its capability statement within {@code timeout}. */
  static Answer get(HttpClient http, FhirDestination destination, Duration timeout) {
    URI base = destination.url();
    String url = base.toString().endsWith("/") ? base + "metadata" : base + "/metadata";
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(timeout)
            .header("Accept", "application/fhir+json");
    try {
      destination.tokens().token().ifPresent(t -> req.header("Authorization", "Bearer " + t));
    } catch (RuntimeException e) {
      return new Answer.NoToken(e);
    }
    try {
      return new Answer.Status(
          http.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer.Unreachable(e);
    } catch (Exception e) {
      return new Answer.Unreachable(e);
    }
  }
}
