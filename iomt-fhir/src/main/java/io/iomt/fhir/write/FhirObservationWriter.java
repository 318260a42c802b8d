package io.iomt.fhir.write;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.iomt.core.error.DataException;
import io.iomt.core.error.FhirResourceRejectedException;
import io.iomt.core.error.FhirServiceUnavailableException;
import io.iomt.core.observation.ObservationFactory;
import io.iomt.core.observation.ObservationGroup;
import io.iomt.fhir.FhirResources;
import io.iomt.fhir.http.FhirHttp;
import io.iomt.fhir.identity.IdentityResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Observation;

/**
 * Writes groups of measurements to FHIR as Observations in as few requests as the server allows:
 * identities resolved (cached), existing Observations read in one batch per chunk on cache misses,
 * created or merged in memory, and written in batch or transaction bundles of at most {@code
 * maxEntries}, each update carrying a versioned {@code If-Match}. A 409/412 re-reads that
 * Observation, merges again and retries it; a rejected entry fails only its own group. Thread-safe
 * for concurrent flushes of different partitions (their devices differ).
 */
public final class ObservationWriter {
  /**
   * @param maxEntries most entries per bundle (500 by default)
   * @param conflictRounds how often a conflicting Observation is re-read and merged again
   * @param cacheTtl how long a written Observation is remembered to skip the read next time
   */
  public record Config(
      BundleMode mode, int maxEntries, int conflictRounds, Duration cacheTtl, long cacheSize) {
    public static final Config DEFAULT =
        new Config(BundleMode.BATCH, 500, 5, Duration.ofMinutes(10), 20_000);
  }

  private final FhirResources fhir;
  private final IdentityResolver identities;
  private final ObservationFactory factory;
  private final Config config;
  private final Cache<String, Observation> known;

  public ObservationWriter(
      FhirResources fhir,
      IdentityResolver identities,
      ObservationFactory factory,
      Config config,
      Ticker ticker) {
    this.fhir = fhir;
    this.identities = identities;
    this.factory = factory;
    this.config = config;
    this.known =
        Caffeine.newBuilder()
            .maximumSize(config.cacheSize())
            .expireAfterWrite(config.cacheTtl())
            .ticker(ticker)
            .build();
  }

  /** One Observation to write: its group and its target id. */
  private record Pending(ObservationGroup group, ObservationFactory.Subject subject, String id) {}

  private record Outcome(Pending pending, Observation stored, Kind kind) {}

  private enum Kind {
    CREATED,
    UPDATED,
    UNCHANGED
  }

  /**
   * Writes a flush. Returns when every group is written, unchanged or rejected.
   *
   * @throws io.iomt.core.error.FhirServiceException when the server is unavailable or refuses the
   *     connector; nothing of the flush should then be considered written
   */
  public WriteReport write(List<ObservationGroup> groups) {
    List<WriteReport.Rejected> rejected = new ArrayList<>();
    Map<String, Pending> pending = new LinkedHashMap<>();
    for (ObservationGroup g : groups) {
      try {
        ObservationFactory.Subject subject = identities.resolve(g.key());
        String id = factory.resourceId(g, subject);
        Pending previous = pending.get(id);
        if (previous != null) {
          // Two groups of one flush target one Observation (e.g. replayed data): write in order.
          rejected.addAll(writeChunk(List.of(previous)).rejected());
        }
        pending.put(id, new Pending(g, subject, id));
      } catch (DataException e) {
        rejected.add(new WriteReport.Rejected(g, e));
      }
    }
    List<Outcome> outcomes = new ArrayList<>();
    List<Pending> all = new ArrayList<>(pending.values());
    for (int i = 0; i < all.size(); i += config.maxEntries()) {
      ChunkResult r = writeChunk(all.subList(i, Math.min(all.size(), i + config.maxEntries())));
      outcomes.addAll(r.outcomes());
      rejected.addAll(r.rejected());
    }
    List<Observation> created = new ArrayList<>();
    List<Observation> updated = new ArrayList<>();
    List<Observation> unchanged = new ArrayList<>();
    for (Outcome o : outcomes) {
      (o.kind() == Kind.CREATED ? created : o.kind() == Kind.UPDATED ? updated : unchanged)
          .add(o.stored());
    }
    return new WriteReport(created, updated, unchanged, rejected);
  }

  private record ChunkResult(List<Outcome> outcomes, List<WriteReport.Rejected> rejected) {}

  private ChunkResult writeChunk(List<Pending> chunk) {
    List<Outcome> outcomes = new ArrayList<>();
    List<WriteReport.Rejected> rejected = new ArrayList<>();
    List<Pending> todo = new ArrayList<>(chunk);
    for (int round = 0; !todo.isEmpty(); round++) {
      Map<String, Observation> existing = existing(todo, round > 0);
      List<Pending> toWrite = new ArrayList<>();
      List<Observation> bodies = new ArrayList<>();
      for (Pending p : todo) {
        try {
          Observation current = existing.get(p.id());
          if (current == null) {
            bodies.add(factory.create(p.group(), p.subject()));
            toWrite.add(p);
          } else {
            Optional<Observation> merged = factory.merge(current, p.group());
            if (merged.isPresent()) {
              bodies.add(merged.get());
              toWrite.add(p);
            } else {
              outcomes.add(new Outcome(p, current, Kind.UNCHANGED));
            }
          }
        } catch (DataException e) {
          rejected.add(new WriteReport.Rejected(p.group(), e));
        }
      }
      todo = new ArrayList<>();
      if (toWrite.isEmpty()) {
        break;
      }
      List<EntryResult> results = send(bodies, config.mode());
      for (int i = 0; i < toWrite.size(); i++) {
        Pending p = toWrite.get(i);
        EntryResult r = results.get(i);
        Observation body = bodies.get(i);
        if (r.status() == 200 || r.status() == 201) {
          body.getMeta().setVersionId(r.version());
          known.put(p.id(), body);
          boolean isNew = !existing.containsKey(p.id());
          outcomes.add(new Outcome(p, body, isNew ? Kind.CREATED : Kind.UPDATED));
        } else if (r.status() == 409 || r.status() == 412 || r.status() >= 500) {
          known.invalidate(p.id());
          if (round + 1 >= config.conflictRounds()) {
            if (r.status() >= 500) {
              throw new FhirServiceUnavailableException(
                  "The FHIR server kept failing Observation/" + p.id() + ": " + r.problem(), null);
            }
            rejected.add(
                new WriteReport.Rejected(
                    p.group(),
                    new FhirResourceRejectedException(
                        "Observation/"
                            + p.id()
                            + " kept conflicting with concurrent updates: "
                            + r.problem())));
          } else {
            todo.add(p);
          }
        } else {
          rejected.add(
              new WriteReport.Rejected(
                  p.group(),
                  new FhirResourceRejectedException(
                      "The FHIR server rejected Observation/" + p.id() + ": " + r.problem())));
        }
      }
    }
    return new ChunkResult(outcomes, rejected);
  }

  /** Existing Observations by id: from the cache, the rest read in one batch request. */
  private Map<String, Observation> existing(List<Pending> todo, boolean bypassCache) {
    Map<String, Observation> out = new HashMap<>();
    List<String> misses = new ArrayList<>();
    for (Pending p : todo) {
      Observation cached = bypassCache ? null : known.getIfPresent(p.id());
      if (cached != null) {
        out.put(p.id(), cached.copy());
      } else {
        misses.add(p.id());
      }
    }
    if (misses.isEmpty()) {
      return out;
    }
    Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
    for (String id : misses) {
      batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Observation/" + id);
    }
    FhirHttp.Response r = fhir.postBundle(batch);
    if (!r.isSuccess()) {
      throw new FhirServiceUnavailableException(
          "Reading Observations from "
              + fhir.http().base()
              + " failed with HTTP "
              + r.status()
              + FhirHttp.outcomeText(r.body()),
          null);
    }
    Bundle response = FhirResources.parse(r.body(), Bundle.class);
    for (int i = 0; i < misses.size() && i < response.getEntry().size(); i++) {
      BundleEntryComponent e = response.getEntry().get(i);
      int status = FhirResources.statusCode(e.getResponse().getStatus());
      if (status == 200 && e.getResource() instanceof Observation o) {
        if (!o.getMeta().hasVersionId()) {
          o.getMeta().setVersionId(o.getIdElement().getVersionIdPart());
        }
        o.setId(o.getIdElement().getIdPart());
        out.put(misses.get(i), o);
      } else if (status != 404 && status != 410) {
        throw new FhirServiceUnavailableException(
            "Reading Observation/" + misses.get(i) + " failed with " + e.getResponse().getStatus(),
            null);
      }
    }
    return out;
  }

  private record EntryResult(int status, String version, String problem) {}

  private List<EntryResult> send(List<Observation> bodies, BundleMode mode) {
    Bundle bundle =
        new Bundle()
            .setType(
                mode == BundleMode.TRANSACTION
                    ? Bundle.BundleType.TRANSACTION
                    : Bundle.BundleType.BATCH);
    for (Observation o : bodies) {
      String version = o.getMeta().getVersionId();
      BundleEntryComponent entry = bundle.addEntry();
      Observation body = o.copy();
      body.getMeta().setVersionIdElement(null);
      entry.setFullUrl("Observation/" + o.getIdElement().getIdPart()).setResource(body);
      entry
          .getRequest()
          .setMethod(HTTPVerb.PUT)
          .setUrl("Observation/" + o.getIdElement().getIdPart());
      if (version != null) {
        entry.getRequest().setIfMatch("W/\"" + version + "\"");
      }
    }
    FhirHttp.Response r = fhir.postBundle(bundle);
    List<EntryResult> results = new ArrayList<>();
    if (!r.isSuccess()) {
      if (mode == BundleMode.TRANSACTION && r.status() >= 400 && r.status() < 500) {
        // The transaction failed as a whole; find the culprit(s) entry by entry.
        return send(bodies, BundleMode.BATCH);
      }
      throw new FhirServiceUnavailableException(
          "Writing "
              + bodies.size()
              + " Observations failed with HTTP "
              + r.status()
              + FhirHttp.outcomeText(r.body()),
          null);
    }
    Bundle response = FhirResources.parse(r.body(), Bundle.class);
    for (int i = 0; i < bodies.size(); i++) {
      if (i >= response.getEntry().size()) {
        results.add(new EntryResult(500, null, "no response entry"));
        continue;
      }
      Bundle.BundleEntryResponseComponent e = response.getEntry().get(i).getResponse();
      String outcome =
          e.getOutcome() == null ? "" : FhirHttp.outcomeText(FhirResources.encode(e.getOutcome()));
      results.add(
          new EntryResult(
              FhirResources.statusCode(e.getStatus()),
              FhirResources.version(e.getEtag()),
              e.getStatus() + outcome));
    }
    return results;
  }
}
