package io.iomt.testkit;

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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;

/**
 * Reads what the connector wrote, straight from a FHIR server: the number of Observations of a
 * device, addressed as the connector addresses it (its Device id is {@link ResourceIds#of
 * ResourceIds.of("Device", null, deviceIdentifier)}, the identity the connector creates with no
 * default identifier system). Combine with {@link Await} to wait for the connector:
 *
 * <pre>{@code
 * Await.untilEquals("observations of " + device,
 *     () -> FhirObservations.countOfDevice(fhir.baseUrl(), device), 10, Duration.ofMinutes(1));
 * }</pre>
 *
 * <p>Stateless and thread-safe; every call is one HTTP request (per device) with a 30 s timeout.
 */
public final class FhirObservations {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private FhirObservations() {}

  /**
   * How many Observations the server holds for the device the connector knows as {@code
   * deviceIdentifier} ({@code GET Observation?device=Device/<id>&_summary=count}).
   *
   * @param fhirBaseUrl the server's base URL, e.g. {@link HapiFhirServer#baseUrl()}
   * @throws IllegalStateException if the server does not answer 200
   * @throws UncheckedIOException if the server cannot be reached
   */
  public static int countOfDevice(String fhirBaseUrl, String deviceIdentifier) {
    return search(fhirBaseUrl, deviceIdentifier, "&_summary=count").getTotal();
  }

  /**
   * The effective times of the device's Observations ({@code effectiveDateTime}, or the start of
   * {@code effectivePeriod}) as ISO-8601 UTC instants, e.g. {@code 2026-11-30T08:00:00Z}; at most
   * 1000 Observations are read.
   */
  public static List<String> effectiveTimesOfDevice(String fhirBaseUrl, String deviceIdentifier) {
    List<String> times = new ArrayList<>();
    for (Bundle.BundleEntryComponent e :
        search(fhirBaseUrl, deviceIdentifier, "&_count=1000").getEntry()) {
      Observation o = (Observation) e.getResource();
      java.util.Date start =
          o.hasEffectiveDateTimeType()
              ? o.getEffectiveDateTimeType().getValue()
              : o.getEffectivePeriod().getStart();
      times.add(start.toInstant().toString());
    }
    return times;
  }

  /**
   * The LOINC codes of the device's Observations (first 200), one per Observation that has one:
   * which FHIR mapping wrote each.
   */
  public static List<String> loincCodesOfDevice(String fhirBaseUrl, String deviceIdentifier) {
    List<String> codes = new ArrayList<>();
    for (Bundle.BundleEntryComponent e :
        search(fhirBaseUrl, deviceIdentifier, "&_count=200").getEntry()) {
      Observation o = (Observation) e.getResource();
      o.getCode().getCoding().stream()
          .filter(c -> "http://loinc.org".equals(c.getSystem()))
          .findFirst()
          .ifPresent(c -> codes.add(c.getCode()));
    }
    return codes;
  }

  private static Bundle search(String fhirBaseUrl, String deviceIdentifier, String parameters) {
    String deviceId = ResourceIds.of("Device", null, deviceIdentifier);
    String url =
        fhirBaseUrl
            + "/Observation?device="
            + URLEncoder.encode("Device/" + deviceId, StandardCharsets.UTF_8)
            + parameters;
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Accept", "application/fhir+json")
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + url, e);
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "GET " + url + " answered " + response.statusCode() + ": " + response.body());
    }
    return FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, response.body());
  }

  /**
   * {@link #countOfDevice} for each device, in the order given: compare the result with a map of
   * expected counts in an {@link Await} to wait for several devices at once.
   */
  public static Map<String, Integer> countsOfDevices(
      String fhirBaseUrl, Collection<String> deviceIdentifiers) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String device : deviceIdentifiers) {
      counts.put(device, countOfDevice(fhirBaseUrl, device));
    }
    return counts;
  }
}
