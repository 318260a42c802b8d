package io.iomt.benchmarks.e2e;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Observation;

/**
 * The baseline: writes ready-made Observations straight to a FHIR server, one batch Bundle of PUT
 * entries (client-assigned ids, as the connector writes new Observations) per request, from the
 * calling thread, with a plain JDK {@link HttpClient} (HTTP/1.1, like the connector's). Each
 * request's Bundle is serialized with HAPI's R4 JSON parser, as the connector does, and every
 * response entry is checked to be {@code 201 Created} or {@code 200 OK}. Nothing is read before
 * writing: this is what the server can take, not what a connector that merges can do. With a
 * concurrency above 1, that many threads take the bundles in turn, so as many requests are in
 * flight at once.
 *
 * <p>Also the load generator's small FHIR client for counts and id checks. One thread calls it;
 * {@link #write(List, Read, int)} runs its own threads.
 */
final class PlainLoader {
  private static final FhirContext R4 = FhirContext.forR4Cached();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final AtomicLong requests = new AtomicLong();

  PlainLoader(String baseUrl) {
    this.base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
  }

  long requests() {
    return requests.get();
  }

  /**
   * What is asked of the server before each bundle is written. The baseline reads nothing; the
   * other two are diagnostics: the connector's writer's batch read, and a search it could use.
   */
  enum Read {
    /** Nothing: the plain loader. */
    NONE,
    /**
     * A batch Bundle with one {@code GET Observation/<id>} per entry, as FhirObservationWriter
     * does.
     */
    BATCH_GET,
    /** One {@code POST Observation/_search} with {@code _id=<id>,<id>,...} of the bundle's ids. */
    ID_SEARCH
  }

  /** Writes the bundles one after the other; returns how many Observations were written. */
  long write(List<List<Observation>> bundles) {
    return write(bundles, Read.NONE, 1);
  }

  /**
   * Writes the bundles from {@code concurrency} threads (one request in flight each; with 1, from
   * the calling thread, one after the other), each after the given read of its ids (which must find
   * none of them); returns how many Observations were written.
   */
  long write(List<List<Observation>> bundles, Read read, int concurrency) {
    if (concurrency <= 1) {
      return write(bundles, read, new AtomicInteger());
    }
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            concurrency,
            task -> {
              Thread t = new Thread(task, "plain-loader");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<Long>> parts = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        parts.add(pool.submit(() -> write(bundles, read, next)));
      }
      long written = 0;
      for (Future<Long> f : parts) {
        written += f.get();
      }
      return written;
    } catch (ExecutionException e) {
      throw new IllegalStateException("the plain loader failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Writes bundles taken in turn from {@code next} until none is left. */
  private long write(List<List<Observation>> bundles, Read read, AtomicInteger next) {
    IParser parser = R4.newJsonParser();
    long written = 0;
    for (int b = next.getAndIncrement(); b < bundles.size(); b = next.getAndIncrement()) {
      List<Observation> observations = bundles.get(b);
      if (read != Read.NONE) {
        List<String> ids = observations.stream().map(o -> o.getIdElement().getIdPart()).toList();
        long found = read == Read.BATCH_GET ? existing(ids) : searchIds(ids);
        if (found != 0) {
          throw new IllegalStateException(found + " of the new Observations exist already");
        }
      }
      Bundle bundle = new Bundle().setType(Bundle.BundleType.BATCH);
      for (Observation o : observations) {
        String url = "Observation/" + o.getIdElement().getIdPart();
        bundle
            .addEntry()
            .setFullUrl(url)
            .setResource(o)
            .getRequest()
            .setMethod(HTTPVerb.PUT)
            .setUrl(url);
      }
      JsonNode response = post(parser.encodeResourceToString(bundle));
      JsonNode entries = response.path("entry");
      if (entries.size() != observations.size()) {
        throw new IllegalStateException(
            "the server answered " + entries.size() + " entries for " + observations.size());
      }
      for (JsonNode e : entries) {
        String status = e.path("response").path("status").asText();
        if (!status.startsWith("201") && !status.startsWith("200")) {
          throw new IllegalStateException("the server refused an Observation: " + e);
        }
      }
      written += observations.size();
    }
    return written;
  }

  /** How many resources of a type the server holds ({@code _summary=count}). */
  long count(String resourceType) {
    HttpResponse<String> r = send(get(resourceType + "?_summary=count"));
    return json(r.body()).path("total").asLong(-1);
  }

  /** How many of these Observation ids the server holds (read in batches of 500). */
  long existing(List<String> ids) {
    long found = 0;
    for (int i = 0; i < ids.size(); i += 500) {
      StringBuilder b =
          new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[");
      List<String> chunk = ids.subList(i, Math.min(ids.size(), i + 500));
      for (int k = 0; k < chunk.size(); k++) {
        b.append(k == 0 ? "" : ",")
            .append("{\"request\":{\"method\":\"GET\",\"url\":\"Observation/")
            .append(chunk.get(k))
            .append("\"}}");
      }
      for (JsonNode e : post(b.append("]}").toString()).path("entry")) {
        if (e.path("response").path("status").asText().startsWith("200")) {
          found++;
        }
      }
    }
    return found;
  }

  /** How many of these Observation ids a {@code POST Observation/_search?_id=...} finds. */
  long searchIds(List<String> ids) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "Observation/_search"))
            .timeout(Duration.ofMinutes(2))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/fhir+json")
            .POST(HttpRequest.BodyPublishers.ofString("_id=" + String.join(",", ids)))
            .build();
    JsonNode page = json(send(request).body());
    long found = page.path("entry").size();
    for (String next = nextLink(page); next != null; next = nextLink(page)) {
      page = json(send(HttpRequest.newBuilder(URI.create(next)).GET().build()).body());
      found += page.path("entry").size();
    }
    return found;
  }

  private static String nextLink(JsonNode page) {
    for (JsonNode link : page.path("link")) {
      if (link.path("relation").asText().equals("next")) {
        return link.path("url").asText();
      }
    }
    return null;
  }

  private JsonNode post(String bundle) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base))
            .timeout(Duration.ofMinutes(2))
            .header("Content-Type", "application/fhir+json")
            .header("Accept", "application/fhir+json")
            .POST(HttpRequest.BodyPublishers.ofString(bundle))
            .build();
    return json(send(request).body());
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofMinutes(2))
        .header("Accept", "application/fhir+json")
        .GET()
        .build();
  }

  private HttpResponse<String> send(HttpRequest request) {
    requests.incrementAndGet();
    try {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            request.method()
                + " "
                + request.uri()
                + " answered "
                + r.statusCode()
                + ": "
                + r.body());
      }
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
