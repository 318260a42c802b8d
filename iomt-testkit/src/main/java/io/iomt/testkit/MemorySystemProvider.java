package io.iomt.testkit;

import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleEntryResponseComponent;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Batch and transaction Bundles of an {@link InMemoryFhirServer}: {@code GET} (read, or search with
 * a query), {@code PUT} (with {@code ifMatch}/{@code ifNoneMatch}) and {@code POST} (with {@code
 * ifNoneExist}) entries, answered in request order.
 *
 * <p>A <b>batch</b> answers every entry on its own: status, {@code etag}, {@code location} and
 * {@code lastModified} of a write, the resource of a read, the {@code outcome} of a failure. A
 * <b>transaction</b> is all or nothing: it runs alone (the store's exclusive lock), and the first
 * failing entry undoes the entries before it and fails the whole request with its status, as HAPI
 * FHIR JPA does. Both process their POSTs first, then their PUTs, then their GETs (JPA's order: a
 * batch's read sees the batch's writes), and a transaction replaces references to an entry's {@code
 * urn:uuid:} full URL with the id that entry got. Thread-safe.
 */
final class MemorySystemProvider {
  private final MemoryStore store;

  MemorySystemProvider(MemoryStore store) {
    this.store = store;
  }

  private record Undo(String type, String id, MemoryStore.Stored previous) {}

  @Transaction
  public Bundle transaction(@TransactionParam Bundle bundle, RequestDetails request) {
    boolean transaction = bundle.getType() == BundleType.TRANSACTION;
    if (!transaction && bundle.getType() != BundleType.BATCH) {
      throw new InvalidRequestException(
          "Expected a batch or transaction Bundle, got " + bundle.getType());
    }
    String base = request.getFhirServerBase();
    Bundle response =
        new Bundle()
            .setType(transaction ? BundleType.TRANSACTIONRESPONSE : BundleType.BATCHRESPONSE);
    Lock lock = transaction ? store.lock().writeLock() : store.lock().readLock();
    lock.lock();
    List<Undo> undo = new ArrayList<>();
    List<BundleEntryComponent> entries = bundle.getEntry();
    BundleEntryComponent[] answers = new BundleEntryComponent[entries.size()];
    Map<String, String> placeholders = new HashMap<>();
    try {
      for (int i : order(entries)) {
        BundleEntryComponent entry = entries.get(i);
        try {
          if (transaction) {
            resolvePlaceholders(entry, placeholders);
          }
          answers[i] = entry(entry, base, transaction ? undo : null);
          String location = answers[i].getResponse().getLocation();
          if (transaction
              && location != null
              && entry.hasFullUrl()
              && entry.getFullUrl().startsWith("urn:")) {
            placeholders.put(
                entry.getFullUrl(),
                location.contains("/_history/")
                    ? location.substring(0, location.indexOf("/_history/"))
                    : location);
          }
        } catch (BaseServerResponseException e) {
          if (transaction) {
            for (int u = undo.size() - 1; u >= 0; u--) {
              store.restore(undo.get(u).type(), undo.get(u).id(), undo.get(u).previous());
            }
            throw e;
          }
          answers[i] = failure(e);
        }
      }
    } finally {
      lock.unlock();
    }
    for (BundleEntryComponent a : answers) {
      response.addEntry(a);
    }
    return response;
  }

  /**
   * The order entries are processed in: POSTs, then PUTs, then GETs, each in request order, as HAPI
   * FHIR JPA does in batches and transactions alike (a batch's read sees the batch's writes), so
   * that references to the {@code urn:uuid:} placeholders of created resources are known before
   * they are used.
   */
  private static List<Integer> order(List<BundleEntryComponent> entries) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingInt(i -> rank(entries.get(i).getRequest().getMethod())));
    return order;
  }

  private static int rank(Bundle.HTTPVerb method) {
    return method == null
        ? 3
        : switch (method) {
          case POST -> 0;
          case PUT -> 1;
          default -> 2;
        };
  }

  /** Replaces references to placeholders of earlier entries with {@code Type/id}. */
  private static void resolvePlaceholders(
      BundleEntryComponent entry, Map<String, String> placeholders) {
    if (placeholders.isEmpty() || entry.getResource() == null) {
      return;
    }
    for (Reference ref :
        MemoryStore.R4
            .newTerser()
            .getAllPopulatedChildElementsOfType(entry.getResource(), Reference.class)) {
      String target = placeholders.get(ref.getReference());
      if (target != null) {
        ref.setReference(target);
      }
    }
  }

  private BundleEntryComponent entry(BundleEntryComponent entry, String base, List<Undo> undo) {
    Bundle.BundleEntryRequestComponent r = entry.getRequest();
    if (!r.hasMethod() || !r.hasUrl()) {
      throw new InvalidRequestException("A bundle entry needs request.method and request.url");
    }
    String url = r.getUrl();
    if (url.startsWith(base + "/")) {
      url = url.substring(base.length() + 1);
    }
    int q = url.indexOf('?');
    String path = q < 0 ? url : url.substring(0, q);
    String[] parts = path.split("/");
    String type = parts[0];
    MemoryStore.requireType(type);
    BundleEntryComponent out = new BundleEntryComponent();
    switch (r.getMethod()) {
      case GET -> {
        if (parts.length == 2 && q < 0) {
          Resource found = store.read(type, parts[1]);
          out.setFullUrl(base + "/" + type + "/" + parts[1]).setResource(found);
          // As JPA: the version is in the resource's meta, the read entry carries no etag.
          out.getResponse().setStatus("200 OK");
        } else if (parts.length == 1) {
          Bundle page = new Bundle().setType(BundleType.SEARCHSET);
          List<Resource> found =
              store.search(type, Queries.parse(q < 0 ? "" : url.substring(q + 1)));
          page.setTotal(found.size());
          for (Resource f : found) {
            page.addEntry()
                .setFullUrl(base + "/" + type + "/" + f.getIdElement().getIdPart())
                .setResource(f)
                .getSearch()
                .setMode(Bundle.SearchEntryMode.MATCH);
          }
          out.setResource(page).getResponse().setStatus("200 OK");
        } else {
          throw new InvalidRequestException("Unsupported GET " + url + " in a bundle");
        }
      }
      case PUT -> {
        if (parts.length != 2 || q >= 0) {
          throw new InvalidRequestException("PUT needs Type/id in a bundle, got " + url);
        }
        Resource body = entry.getResource();
        if (body == null) {
          throw new InvalidRequestException("PUT " + url + " has no resource");
        }
        MemoryStore.Stored before = store.current(type, parts[1]);
        MemoryStore.Written w = store.put(type, parts[1], body, r.getIfMatch(), r.getIfNoneMatch());
        if (undo != null) {
          undo.add(new Undo(type, parts[1], before));
        }
        written(out, w, base);
      }
      case POST -> {
        if (parts.length != 1 || q >= 0) {
          throw new InvalidRequestException("POST needs a resource type in a bundle, got " + url);
        }
        Resource body = entry.getResource();
        if (body == null) {
          throw new InvalidRequestException("POST " + url + " has no resource");
        }
        MemoryStore.Written w = store.create(type, body, r.getIfNoneExist());
        if (undo != null && w.created()) {
          undo.add(new Undo(type, w.resource().getIdElement().getIdPart(), null));
        }
        written(out, w, base);
      }
      default ->
          throw new InvalidRequestException(
              "This in-memory server does not take " + r.getMethod() + " entries");
    }
    return out;
  }

  private static void written(BundleEntryComponent out, MemoryStore.Written w, String base) {
    String type = w.resource().fhirType();
    String id = w.resource().getIdElement().getIdPart();
    out.setFullUrl(base + "/" + type + "/" + id);
    out.getResponse()
        .setStatus(w.created() ? "201 Created" : "200 OK")
        .setLocation(type + "/" + id + "/_history/" + w.version())
        .setEtag(Integer.toString(w.version())) // JPA's batch etag: the bare version
        .setLastModified(w.resource().getMeta().getLastUpdated());
  }

  private static BundleEntryComponent failure(BaseServerResponseException e) {
    OperationOutcome outcome = new OperationOutcome();
    outcome
        .addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(
            e.getStatusCode() == 404
                ? OperationOutcome.IssueType.NOTFOUND
                : e.getStatusCode() == 409 || e.getStatusCode() == 412
                    ? OperationOutcome.IssueType.CONFLICT
                    : OperationOutcome.IssueType.PROCESSING)
        .setDiagnostics(e.getMessage());
    BundleEntryComponent out = new BundleEntryComponent();
    out.setResponse(
        new BundleEntryResponseComponent()
            .setStatus(e.getStatusCode() + " " + reason(e.getStatusCode()))
            .setOutcome(outcome));
    return out;
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 409 -> "Conflict";
      case 412 -> "Precondition Failed";
      default -> "Error";
    };
  }
}
