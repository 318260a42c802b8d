package io.iomt.service;

import ca.uhn.fhir.context.FhirContext;
import io.iomt.core.observation.ResourceIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;

/**
 * Every Observation of a device, read page by page (a server caps a page, HAPI JPA at 50, so the
 * single-page reads of {@code FhirObservations} see only the first ones): what an exactness check
 * over hundreds of Observations per device needs. Stateless; thread-safe.
 */
final class DeviceObservations {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** An Observation's LOINC code (null if none) and its effective time (ISO-8601 UTC). */
  record Reading(String loinc, String effective) {}

  private DeviceObservations() {}

  /**
   * The device's Observations, all pages.
   *
   * @throws IllegalStateException if a page is not answered with 200
   */
  static List<Reading> of(String fhirBaseUrl, String deviceIdentifier) {
    String deviceId = ResourceIds.of("Device", null, deviceIdentifier);
    String url =
        fhirBaseUrl
            + "/Observation?device="
            + URLEncoder.encode("Device/" + deviceId, StandardCharsets.UTF_8)
            + "&_count=50";
    List<Reading> out = new ArrayList<>();
    while (url != null) {
      Bundle page = read(url);
      for (Bundle.BundleEntryComponent e : page.getEntry()) {
        Observation o = (Observation) e.getResource();
        String loinc =
            o.getCode().getCoding().stream()
                .filter(c -> "http://loinc.org".equals(c.getSystem()))
                .map(c -> c.getCode())
                .findFirst()
                .orElse(null);
        java.util.Date start =
            o.hasEffectiveDateTimeType()
                ? o.getEffectiveDateTimeType().getValue()
                : o.getEffectivePeriod().getStart();
        out.add(new Reading(loinc, start.toInstant().toString()));
      }
      Bundle.BundleLinkComponent next = page.getLink(Bundle.LINK_NEXT);
      url = next == null ? null : next.getUrl();
    }
    return out;
  }

  private static Bundle read(String url) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Accept", "application/fhir+json")
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build();
    try {
      HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("GET " + url + " answered " + r.statusCode());
      }
      return FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, r.body());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + url, e);
    }
  }
}
