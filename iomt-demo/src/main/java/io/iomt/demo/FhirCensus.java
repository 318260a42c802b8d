package io.iomt.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Reads back what a FHIR server holds for some devices: their Observations per measurement type,
 * and the measurements in them ({@link TypeCount}). Plain FHIR REST searches over HTTP, following
 * the server's absolute {@code next} links. Thread-safe.
 */
final class FhirCensus {

  /** The coding system of the measurement type the connector adds to {@code Observation.code}. */
  static final String MEASUREMENT_TYPE = "https://iomt-connector.org/fhir/measurement-type";

  /** Devices per search, to keep URLs short. */
  private static final int DEVICES_PER_SEARCH = 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What the server holds for the devices.
   *
   * @param byType per measurement type ({@code Observation.code}'s measurement-type coding; {@code
   *     ?} when there is none)
   */
  record Tally(int observations, int measurements, SortedMap<String, TypeCount> byType) {
    Tally {
      byType = Collections.unmodifiableSortedMap(new TreeMap<>(byType));
    }
  }

  private final String baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  FhirCensus(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** The resource ids of the Devices with these identifier values (any system), by value. */
  Map<String, String> devices(Collection<String> identifiers) {
    Set<String> wanted = Set.copyOf(identifiers);
    Map<String, String> found = new TreeMap<>();
    for (List<String> chunk : chunks(identifiers)) {
      search(
          "Device?identifier=" + join(chunk, FhirCensus::escape),
          device -> {
            for (JsonNode identifier : device.path("identifier")) {
              String value = identifier.path("value").asText();
              if (wanted.contains(value)) {
                found.put(value, device.path("id").asText());
              }
            }
          });
    }
    return found;
  }

  /** How many Observations refer to these Devices (by resource id); a cheap count. */
  int observationCount(Collection<String> deviceIds) {
    int total = 0;
    for (List<String> chunk : chunks(deviceIds)) {
      total += count("Observation?device=" + join(chunk, id -> "Device/" + id));
    }
    return total;
  }

  /** How many Observations the server holds, of any device. */
  int observationCount() {
    return count("Observation");
  }

  /** Reads every Observation of these Devices (by resource id) and counts what they hold. */
  Tally tally(Collection<String> deviceIds) {
    SortedMap<String, TypeCount> byType = new TreeMap<>();
    int[] totals = new int[2];
    for (List<String> chunk : chunks(deviceIds)) {
      search(
          "Observation?device=" + join(chunk, id -> "Device/" + id),
          observation -> {
            int measurements = measurements(observation);
            byType.merge(
                type(observation),
                new TypeCount(1, measurements),
                (a, b) -> a.plus(1, measurements));
            totals[0]++;
            totals[1] += measurements;
          });
    }
    return new Tally(totals[0], totals[1], byType);
  }

  /**
   * The measurement values an Observation holds: the data points other than {@code E} of a
   * SampledData value, else 1 for any value or for components, else 0.
   */
  static int measurements(JsonNode observation) {
    JsonNode sampled = observation.path("valueSampledData");
    if (sampled.isObject()) {
      String data = sampled.path("data").asText("").strip();
      if (data.isEmpty()) {
        return 0;
      }
      int points = 0;
      for (String token : data.split("\\s+")) {
        if (!token.equals("E")) {
          points++;
        }
      }
      return points;
    }
    for (var fields = observation.fieldNames(); fields.hasNext(); ) {
      if (fields.next().startsWith("value")) {
        return 1;
      }
    }
    return observation.path("component").isEmpty() ? 0 : 1;
  }

  private static String type(JsonNode observation) {
    for (JsonNode coding : observation.path("code").path("coding")) {
      if (MEASUREMENT_TYPE.equals(coding.path("system").asText())) {
        return coding.path("code").asText();
      }
    }
    return "?";
  }

  private int count(String search) {
    JsonNode bundle = get(baseUrl + "/" + search + separator(search) + "_summary=count");
    return bundle.path("total").asInt();
  }

  private void search(String search, Consumer<JsonNode> resources) {
    String url = baseUrl + "/" + search + separator(search) + "_count=50";
    while (url != null) {
      JsonNode bundle = get(url);
      for (JsonNode entry : bundle.path("entry")) {
        resources.accept(entry.path("resource"));
      }
      url = null;
      for (JsonNode link : bundle.path("link")) {
        if ("next".equals(link.path("relation").asText())) {
          url = link.path("url").asText();
        }
      }
    }
  }

  private JsonNode get(String url) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .header("Accept", "application/fhir+json")
            .GET()
            .build();
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "the FHIR server answered "
                + response.statusCode()
                + " to GET "
                + url
                + ": "
                + new String(response.body(), StandardCharsets.UTF_8));
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + url, e);
    }
  }

  /** A search parameter value with FHIR's special characters escaped. */
  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace(",", "\\,").replace("|", "\\|").replace("$", "\\$");
  }

  private static String separator(String search) {
    return search.contains("?") ? "&" : "?";
  }

  private static String join(List<String> values, UnaryOperator<String> each) {
    return values.stream()
        .map(each)
        .map(value -> URLEncoder.encode(value, StandardCharsets.UTF_8).replace("%2F", "/"))
        .collect(Collectors.joining(","));
  }

  private static List<List<String>> chunks(Collection<String> values) {
    List<String> all = List.copyOf(values);
    List<List<String>> chunks = new ArrayList<>();
    for (int i = 0; i < all.size(); i += DEVICES_PER_SEARCH) {
      chunks.add(all.subList(i, Math.min(all.size(), i + DEVICES_PER_SEARCH)));
    }
    return chunks;
  }
}
