package io.iomt.fhir.write;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.iomt.core.error.DataException;
import io.iomt.core.error.FhirResourceRejectedException;
import io.iomt.core.error.FhirServiceUnavailableException;
import io.iomt.core.observation.GroupKey;
import io.iomt.core.observation.ObservationFactory;
import io.iomt.core.observation.ObservationGroup;
import io.iomt.fhir.FhirResources;
import io.iomt.fhir.http.FhirHttp;
import io.iomt.fhir.identity.IdentityResolver;
import io.iomt.fhir.identity.Resolution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ObservationWriter} for a FHIR R4 server. Writes a flush in as few requests as the
 * server allows: identities resolved for the whole flush at once ({@link
 * IdentityResolver#resolveAll}), then per chunk of at most {@code maxEntries} Observations one
 * batch (or transaction) bundle of PUTs: cached Observations merged and updated, uncached ones sent
 * as create-only creates without reading them first. A new chunk thus costs one request. The
 * creates the server refuses because the Observation exists are read in one batch ({@link
 * ObservationReads}: a short or malformed batch answer is never taken as "absent"), merged and
 * updated in the next round. When most creates of a chunk were refused (a replay), the next chunk
 * reads first (2 requests instead of 3) until a read chunk is mostly new again.
 *
 * <p><b>Optimistic concurrency.</b> Every update carries the versioned {@code If-Match} of the
 * Observation it was merged into; an Observation whose version the server did not tell is never
 * cached (it is re-read next time) and never updated without {@code If-Match} (its group is
 * rejected instead). Every create is create-only ({@link CreateCondition}), so neither an existing
 * Observation nor a concurrent creator's is overwritten. A 409/412 (or a refused create) re-reads
 * that Observation, merges again and retries it, at most {@code conflictRounds} times (one more
 * when the chunk began with blind creates); nothing merged is lost. A server seen to honour neither
 * create condition (a create answered as an update of a later version) makes the writer read before
 * every write from then on. A rejected entry fails only its own group.
 *
 * <p>Thread-safe: concurrent flushes share the caches and the HTTP client.
 */
public final class FhirObservationWriter implements ObservationWriter {
  private static final Logger LOG = LoggerFactory.getLogger(FhirObservationWriter.class);

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
  private final ObservationReads reads;
  private final AtomicReference<CreateCondition> createCondition =
      new AtomicReference<>(CreateCondition.VERSION_ZERO);

  /**
   * Whether the next chunk reads its uncached Observations before writing (2 requests when they
   * exist) instead of creating them blind (1 request when they are new, 3 when they exist). Set
   * when most blind creates of a chunk were refused, cleared when most of a read chunk was absent;
   * a hint only, so races between flushes are harmless.
   */
  private final AtomicBoolean readFirst = new AtomicBoolean();

  /** False once the server was seen to ignore the create condition: then always read first. */
  private final AtomicBoolean conditionTrusted = new AtomicBoolean(true);

  /**
   * @param ticker the time of the Observation cache (derive it from the data path's clock with
   *     {@link io.iomt.fhir.ClockTicker})
   */
  public FhirObservationWriter(
      FhirResources fhir,
      IdentityResolver identities,
      ObservationFactory factory,
      Config config,
      Ticker ticker) {
    this.fhir = fhir;
    this.identities = identities;
    this.factory = factory;
    this.config = config;
    this.reads = new ObservationReads(fhir);
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
   * One PUT: the body, and either the version it updates or the create condition.
   *
   * @param version the version of the Observation merged into; null for a create
   */
  private record Write(Pending pending, Observation body, String version, CreateCondition create) {
    boolean isCreate() {
      return version == null;
    }
  }

  @Override
  public WriteReport write(List<ObservationGroup> groups) {
    List<WriteReport.Rejected> rejected = new ArrayList<>();
    Map<String, Pending> pending = new LinkedHashMap<>();
    Map<GroupKey, Resolution> resolutions =
        identities.resolveAll(groups.stream().map(ObservationGroup::key).toList());
    for (ObservationGroup g : groups) {
      try {
        Resolution resolution = resolutions.get(g.key());
        if (resolution instanceof Resolution.Failed failed) {
          throw failed.error();
        }
        ObservationFactory.Subject subject = ((Resolution.Resolved) resolution).subject();
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
    Set<String> refusedCreates = new HashSet<>();
    List<Pending> todo = new ArrayList<>(chunk);
    boolean blind = false;
    int blindCreates = 0;
    for (int round = 0; !todo.isEmpty(); round++) {
      Map<String, Observation> existing;
      if (round == 0 && !readFirst.get()) {
        existing = cached(todo);
        blind = existing.size() < todo.size();
      } else {
        existing = existing(todo, round > 0);
        if (round == 0) {
          // Reading first paid off only while most of a chunk existed (a replay).
          readFirst.set(!conditionTrusted() || 2 * existing.size() >= todo.size());
        }
      }
      int rounds = config.conflictRounds() + (blind ? 1 : 0);
      List<Write> writes = new ArrayList<>();
      for (Pending p : todo) {
        try {
          Observation current = existing.get(p.id());
          if (current == null) {
            if (refusedCreates.contains(p.id())) {
              createRefusedThoughAbsent(p.id());
            }
            writes.add(
                new Write(p, factory.create(p.group(), p.subject()), null, createCondition.get()));
            continue;
          }
          Optional<Observation> merged = factory.merge(current, p.group());
          if (merged.isEmpty()) {
            outcomes.add(new Outcome(p, current, Kind.UNCHANGED));
          } else if (!current.getMeta().hasVersionId()) {
            rejected.add(new WriteReport.Rejected(p.group(), unversioned(p.id())));
          } else {
            writes.add(new Write(p, merged.get(), current.getMeta().getVersionId(), null));
          }
        } catch (DataException e) {
          rejected.add(new WriteReport.Rejected(p.group(), e));
        }
      }
      todo = new ArrayList<>();
      if (writes.isEmpty()) {
        break;
      }
      if (round == 0 && blind) {
        blindCreates = (int) writes.stream().filter(Write::isCreate).count();
      }
      List<EntryResult> results = send(writes, config.mode());
      int refusedBlind = 0;
      for (int i = 0; i < writes.size(); i++) {
        Write w = writes.get(i);
        Pending p = w.pending();
        EntryResult r = results.get(i);
        if (w.isCreate() && r.status() == 200) {
          // A create-only PUT that updated: the server honours neither create condition.
          createConditionIgnored(p.id(), r.version());
        }
        if (r.status() == 200 || r.status() == 201) {
          w.body().getMeta().setVersionId(r.version());
          if (r.version() == null) {
            // Unknown version: caching it would send the next update without If-Match.
            known.invalidate(p.id());
          } else {
            known.put(p.id(), w.body());
          }
          outcomes.add(new Outcome(p, w.body(), w.isCreate() ? Kind.CREATED : Kind.UPDATED));
        } else if (r.status() == 409
            || r.status() == 412
            || r.status() >= 500
            || (w.isCreate() && r.status() == 404)) {
          known.invalidate(p.id());
          if (w.isCreate() && r.status() < 500) {
            refusedCreates.add(p.id());
            refusedBlind++;
          }
          if (round + 1 >= rounds) {
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
      if (round == 0 && blind && 2 * refusedBlind > blindCreates) {
        // Most blind creates met an existing Observation (a replay): read first next time.
        readFirst.set(true);
      }
    }
    return new ChunkResult(outcomes, rejected);
  }

  /**
   * A version-zero create was refused although the Observation does not exist: this server applies
   * {@code If-Match} to absent resources, so creates use {@code If-None-Match: *} from now on.
   */
  private void createRefusedThoughAbsent(String id) {
    if (createCondition.compareAndSet(
        CreateCondition.VERSION_ZERO, CreateCondition.IF_NONE_MATCH)) {
      LOG.warn(
          "{} refused to create Observation/{} with If-Match: W/\"0\" although it does not exist;"
              + " creating with If-None-Match: * from now on",
          fhir.http().base(),
          id);
    }
  }

  /**
   * A create-only PUT was answered 200 (an update) with a version after the first: the server
   * honours neither {@code If-Match: W/"0"} nor {@code If-None-Match: *}, so a blind create can
   * overwrite an Observation it does not know. Existing Observations are read before every write
   * from now on, which leaves only concurrent creators racing (as before conditional creates).
   */
  private void createConditionIgnored(String id, String version) {
    if ("1".equals(version)) {
      return; // the server kept the first version: an identical create changed nothing
    }
    if (conditionTrusted.compareAndSet(true, false)) {
      readFirst.set(true);
      LOG.error(
          "{} answered a create-only PUT of Observation/{} with 200 (version {}): it honours"
              + " neither If-Match: W/\"0\" nor If-None-Match: *. The earlier version of that"
              + " Observation was replaced; the connector reads before every write from now on",
          fhir.http().base(),
          id,
          version);
    }
  }

  private boolean conditionTrusted() {
    return conditionTrusted.get();
  }

  private FhirResourceRejectedException unversioned(String id) {
    return new FhirResourceRejectedException(
        "The FHIR server "
            + fhir.http().base()
            + " returned Observation/"
            + id
            + " without a version (no meta.versionId); it is not updated without If-Match, which"
            + " could overwrite a concurrent update. Enable versioning on the server");
  }

  /** The cached Observations among {@code todo}, by id (copies); the rest are not read. */
  private Map<String, Observation> cached(List<Pending> todo) {
    Map<String, Observation> out = new HashMap<>();
    for (Pending p : todo) {
      Observation cached = known.getIfPresent(p.id());
      if (cached != null) {
        out.put(p.id(), cached.copy());
      }
    }
    return out;
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
    out.putAll(reads.read(misses));
    return out;
  }

  private record EntryResult(int status, String version, String problem) {}

  private List<EntryResult> send(List<Write> writes, BundleMode mode) {
    Bundle bundle =
        new Bundle()
            .setType(
                mode == BundleMode.TRANSACTION
                    ? Bundle.BundleType.TRANSACTION
                    : Bundle.BundleType.BATCH);
    for (Write w : writes) {
      Observation o = w.body();
      BundleEntryComponent entry = bundle.addEntry();
      Observation body = o.copy();
      body.getMeta().setVersionIdElement(null);
      entry.setFullUrl("Observation/" + o.getIdElement().getIdPart()).setResource(body);
      entry
          .getRequest()
          .setMethod(HTTPVerb.PUT)
          .setUrl("Observation/" + o.getIdElement().getIdPart());
      if (w.isCreate()) {
        w.create().apply(entry.getRequest());
      } else {
        entry.getRequest().setIfMatch("W/\"" + w.version() + "\"");
      }
    }
    FhirHttp.Response r = fhir.postBundle(bundle);
    List<EntryResult> results = new ArrayList<>();
    if (!r.isSuccess()) {
      if (mode == BundleMode.TRANSACTION && r.status() >= 400 && r.status() < 500) {
        // The transaction failed as a whole; find the culprit(s) entry by entry.
        return send(writes, BundleMode.BATCH);
      }
      throw new FhirServiceUnavailableException(
          "Writing "
              + writes.size()
              + " Observations failed with HTTP "
              + r.status()
              + FhirHttp.outcomeText(r.body()),
          null);
    }
    Bundle response = FhirResources.parse(r.body(), Bundle.class);
    for (int i = 0; i < writes.size(); i++) {
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
              FhirResources.version(e),
              e.getStatus() + outcome));
    }
    return results;
  }
}
