package io.iomt.fhir.identity;

import io.iomt.core.error.DataException;
import io.iomt.core.error.FhirServiceUnavailableException;
import io.iomt.fhir.FhirResources;
import io.iomt.fhir.http.FhirHttp;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Searches by identifier, many at once: one transaction bundle of {@code GET <Type>?identifier=...}
 * entries per {@code maxEntries} (a transaction rather than a batch: see {@code chunk}), answered
 * entry by entry in request order; a transaction refused as a whole (4xx) is searched again entry
 * by entry, alone. Only an entry answered 200 with a searchset of no match counts as "none". An
 * entry that is missing (a short response), carries no status or no bundle, or whose self link
 * names another search is not trusted: that search is repeated alone ({@link
 * FhirResources#findByIdentifier}), so a truncated answer can never make an existing Device look
 * new. An entry answered 429/5xx is repeated alone too (with that request's retries); any other
 * status is that search's {@code FhirResourceRejectedException}, with the message of a single
 * search. A 200 that is not a readable transaction-response (a server or proxy without
 * transactions) makes every search of the chunk alone, with one warning per resolver; a 5xx or
 * other failure of the whole request is a blocking {@link FhirServiceUnavailableException}.
 * Thread-safe.
 */
final class IdentitySearches {
  /** One search: a resource type and an identifier. */
  record Search(Class<? extends Resource> type, String system, String value) {
    String token() {
      return FhirResources.token(system, value);
    }
  }

  /** What a search found: one resource, none, or a non-blocking error of that search alone. */
  sealed interface Found {
    /** The one resource with the identifier. */
    record One(Resource resource) implements Found {}

    /** No resource has the identifier. */
    record None() implements Found {}

    /** The search failed (several matches, refused): the error of a single search. */
    record Failed(DataException error) implements Found {}
  }

  private static final Logger LOG = LoggerFactory.getLogger(IdentitySearches.class);

  private final FhirResources fhir;
  private final int maxEntries;
  private final AtomicBoolean warnedNoTransactions = new AtomicBoolean();

  IdentitySearches(FhirResources fhir, int maxEntries) {
    this.fhir = fhir;
    this.maxEntries = maxEntries;
  }

  /** Runs every search (duplicates once); the outcome of each, in the order given. */
  Map<Search, Found> find(List<Search> searches) {
    List<Search> distinct = List.copyOf(new LinkedHashSet<>(searches));
    Map<Search, Found> out = new LinkedHashMap<>();
    for (int i = 0; i < distinct.size(); i += maxEntries) {
      out.putAll(chunk(distinct.subList(i, Math.min(distinct.size(), i + maxEntries))));
    }
    return out;
  }

  private Map<Search, Found> chunk(List<Search> searches) {
    Map<Search, Found> out = new LinkedHashMap<>();
    if (searches.size() == 1) {
      out.put(searches.get(0), alone(searches.get(0)));
      return out;
    }
    // A transaction of searches, not a batch: HAPI FHIR JPA runs a batch's GET entries on a
    // thread pool (up to 100 threads), each search holding a database connection while it waits
    // for another, which starved a 10-connection pool for minutes; a transaction runs them one
    // after the other on one connection. Searches change nothing, so atomicity costs nothing.
    Bundle batch = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    for (Search s : searches) {
      batch
          .addEntry()
          .getRequest()
          .setMethod(HTTPVerb.GET)
          .setUrl(FhirResources.searchPath(s.type(), s.system(), s.value()));
    }
    FhirHttp.Response r = fhir.postBundle(batch);
    if (r.status() >= 400 && r.status() < 500) {
      // The transaction failed as a whole (one refused search fails them all): search alone.
      searches.forEach(s -> out.put(s, alone(s)));
      return out;
    }
    List<BundleEntryComponent> entries = answer(r, searches.size());
    for (int i = 0; i < searches.size(); i++) {
      Search s = searches.get(i);
      BundleEntryComponent e = i < entries.size() ? entries.get(i) : null;
      int status = e == null ? 0 : FhirResources.statusCode(e.getResponse().getStatus());
      if (status == 200 && e.getResource() instanceof Bundle found && answers(found, s)) {
        out.put(s, found(s, found));
      } else if (status == 0 || status == 200 || status == 429 || status >= 500) {
        out.put(s, alone(s));
      } else {
        String outcome =
            e.getResponse().getOutcome() == null
                ? ""
                : FhirHttp.outcomeText(FhirResources.encode(e.getResponse().getOutcome()));
        out.put(
            s, new Found.Failed(FhirResources.searchFailed(s.type(), s.token(), status + outcome)));
      }
    }
    return out;
  }

  private static Found found(Search s, Bundle searchset) {
    try {
      Optional<? extends Resource> one = FhirResources.match(s.type(), s.token(), searchset);
      return one.<Found>map(Found.One::new).orElseGet(Found.None::new);
    } catch (DataException e) {
      return new Found.Failed(e);
    }
  }

  private Found alone(Search s) {
    try {
      Optional<? extends Resource> one = fhir.findByIdentifier(s.type(), s.system(), s.value());
      return one.<Found>map(Found.One::new).orElseGet(Found.None::new);
    } catch (DataException e) {
      return new Found.Failed(e);
    }
  }

  /** False when the searchset's self link names a search for another identifier. */
  private static boolean answers(Bundle searchset, Search s) {
    Bundle.BundleLinkComponent self = searchset.getLink(Bundle.LINK_SELF);
    if (searchset.getType() != Bundle.BundleType.SEARCHSET) {
      return false;
    }
    if (self == null || !self.hasUrl()) {
      return true;
    }
    String url = URLDecoder.decode(self.getUrl(), StandardCharsets.UTF_8);
    return url.contains(s.value());
  }

  private List<BundleEntryComponent> answer(FhirHttp.Response r, int requested) {
    String what = "a transaction of " + requested + " identifier searches";
    if (!r.isSuccess()) {
      throw new FhirServiceUnavailableException(
          "Searching "
              + requested
              + " identifiers in one transaction on "
              + fhir.http().base()
              + " failed with HTTP "
              + r.status()
              + FhirHttp.outcomeText(r.body()),
          null);
    }
    Bundle response;
    try {
      response = FhirResources.parse(r.body(), Bundle.class);
    } catch (RuntimeException e) {
      response = null;
    }
    if (response == null || response.getType() != Bundle.BundleType.TRANSACTIONRESPONSE) {
      // Not an answer to the transaction (a server or proxy without transactions): every search
      // is made alone, which costs requests but never takes a search as "absent".
      if (warnedNoTransactions.compareAndSet(false, true)) {
        LOG.warn(
            "The FHIR server {} answered {} with {} instead of a transaction-response; identifiers"
                + " are searched one by one",
            fhir.http().base(),
            what,
            response == null ? "an unreadable body" : "a " + response.getType() + " bundle");
      }
      return List.of();
    }
    return new ArrayList<>(response.getEntry());
  }
}
