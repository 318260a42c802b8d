package io.iomt.fhir;

import ca.uhn.fhir.context.FhirContext;
import io.iomt.core.error.FhirResourceRejectedException;
import io.iomt.core.error.MultipleResourceFoundException;
import io.iomt.fhir.http.FhirHttp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Typed FHIR operations over {@link FhirHttp}: search by identifier, conditional PUT, and bundles.
 * Resources are parsed and written with HAPI's R4 JSON parser. Thread-safe.
 */
public final class FhirResources {
  static final FhirContext R4 = FhirContext.forR4Cached();

  private final FhirHttp http;

  public FhirResources(FhirHttp http) {
    this.http = http;
  }

  public FhirHttp http() {
    return http;
  }

  /** A resource by identifier; empty when none; several are an error. */
  public <T extends Resource> Optional<T> findByIdentifier(
      Class<T> type, String system, String value) {
    String token = token(system, value);
    FhirHttp.Response r = http.get(searchPath(type, system, value));
    if (!r.isSuccess()) {
      throw searchFailed(type, token, r.status() + FhirHttp.outcomeText(r.body()));
    }
    return match(type, token, parse(r.body(), Bundle.class));
  }

  /** {@code system|value}, or the value alone when there is no system. */
  public static String token(String system, String value) {
    return (system == null || system.isBlank() ? "" : system + "|") + value;
  }

  /**
   * The relative search URL of {@link #findByIdentifier}: {@code
   * Device?identifier=<token>&_count=2} (two matches tell "one" from "several"); also the URL of a
   * search entry in a batch bundle.
   */
  public static String searchPath(Class<? extends Resource> type, String system, String value) {
    return R4.getResourceType(type)
        + "?identifier="
        + URLEncoder.encode(token(system, value), StandardCharsets.UTF_8)
        + "&_count=2";
  }

  /**
   * The error of a search by identifier that the server refused.
   *
   * @param status the HTTP status, followed by the OperationOutcome's diagnostics if any
   */
  public static FhirResourceRejectedException searchFailed(
      Class<? extends Resource> type, String token, String status) {
    return new FhirResourceRejectedException(
        "Searching "
            + R4.getResourceType(type)
            + " by identifier "
            + token
            + " failed with HTTP "
            + status);
  }

  /**
   * The one match of a search by identifier in a searchset bundle; empty when none; several are a
   * {@link MultipleResourceFoundException}.
   */
  public static <T extends Resource> Optional<T> match(Class<T> type, String token, Bundle bundle) {
    String resourceType = R4.getResourceType(type);
    List<T> found = new ArrayList<>();
    for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
      if (type.isInstance(e.getResource())
          && (!e.hasSearch() || e.getSearch().getMode() != Bundle.SearchEntryMode.INCLUDE)) {
        found.add(type.cast(e.getResource()));
      }
    }
    if (found.size() > 1) {
      throw new MultipleResourceFoundException(
          "Several "
              + resourceType
              + " resources have the identifier "
              + token
              + "; it must be unique");
    }
    return found.stream().findFirst();
  }

  /**
   * PUTs a resource with a client-chosen id (update-as-create), optionally versioned. Returns the
   * response for the caller to judge (201/200 success, 409/412 conflict, 4xx rejected).
   */
  public FhirHttp.Response put(Resource resource, String ifMatchVersion) {
    String path = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    Map<String, String> headers =
        ifMatchVersion == null ? Map.of() : Map.of("If-Match", "W/\"" + ifMatchVersion + "\"");
    return http.send("PUT", path, encode(resource), headers);
  }

  /** Posts a batch or transaction bundle; returns the response bundle, or the raw failure. */
  public FhirHttp.Response postBundle(Bundle bundle) {
    return http.send("POST", "", encode(bundle), Map.of());
  }

  public static String encode(Resource resource) {
    return R4.newJsonParser().encodeResourceToString(resource);
  }

  public static <T extends Resource> T parse(String json, Class<T> type) {
    return R4.newJsonParser().parseResource(type, json);
  }

  /** The HTTP status code at the start of a bundle entry's response status ("201 Created"). */
  public static int statusCode(String status) {
    if (status == null) {
      return 0;
    }
    String s = status.trim();
    int space = s.indexOf(' ');
    try {
      return Integer.parseInt(space < 0 ? s : s.substring(0, space));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The version in an ETag ({@code W/"3"} gives {@code 3}), or null when none is given. */
  public static String version(String etag) {
    if (etag == null) {
      return null;
    }
    String v = etag.trim();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    v = v.replace("\"", "").trim();
    return v.isEmpty() ? null : v;
  }

  /**
   * The version a bundle entry response names: its ETag, else the {@code _history} part of its
   * location ({@code Observation/x/_history/3}); null when it names none.
   */
  public static String version(Bundle.BundleEntryResponseComponent response) {
    String v = version(response.getEtag());
    if (v != null || !response.hasLocation()) {
      return v;
    }
    String location = response.getLocation();
    int history = location.indexOf("/_history/");
    if (history < 0) {
      return null;
    }
    String rest = location.substring(history + "/_history/".length());
    int end = rest.indexOf('/');
    rest = end < 0 ? rest : rest.substring(0, end);
    return rest.isBlank() ? null : rest;
  }
}
