package io.iomt.fhir.identity;

import io.iomt.core.error.DataException;
import io.iomt.core.error.FhirResourceRejectedException;
import io.iomt.core.error.FhirServiceUnavailableException;
import io.iomt.fhir.FhirResources;
import io.iomt.fhir.http.FhirHttp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Resource;

/**
 * Creates Patients or Devices at their deterministic ids ({@link
 * io.iomt.core.observation.ResourceIds}), many at once: batch bundles of {@code PUT <Type>/<id>}
 * entries of at most {@code maxEntries}. Two writers creating the same resource send identical
 * content, so the loser of a race that sees 409/412 simply sends it again (then a no-op update), up
 * to {@link #ATTEMPTS} rounds in all, as a single PUT did. An entry answered 429/5xx or missing
 * from the answer is sent again too; still failing after the last round, it is blocking. Any other
 * refusal is that resource's {@code FhirResourceRejectedException}. Thread-safe.
 */
final class IdentityCreates {
  static final int ATTEMPTS = 3;

  /** A resource to create, and how errors name it ({@code Patient 'mrn-1'}). */
  record Create(Resource resource, String what) {}

  private final FhirResources fhir;
  private final int maxEntries;

  IdentityCreates(FhirResources fhir, int maxEntries) {
    this.fhir = fhir;
    this.maxEntries = maxEntries;
  }

  /**
   * Creates them all; the error of each resource that could not be created (empty when all were).
   *
   * @throws FhirServiceUnavailableException when the server kept failing or refused a bundle
   */
  Map<Create, DataException> create(List<Create> creates) {
    Map<Create, DataException> failed = new LinkedHashMap<>();
    List<Create> todo = new ArrayList<>(creates);
    for (int attempt = 1; !todo.isEmpty(); attempt++) {
      List<Create> again = new ArrayList<>();
      for (int i = 0; i < todo.size(); i += maxEntries) {
        List<Create> chunk = todo.subList(i, Math.min(todo.size(), i + maxEntries));
        List<BundleEntryComponent> entries = send(chunk);
        for (int j = 0; j < chunk.size(); j++) {
          Create c = chunk.get(j);
          BundleEntryComponent e = j < entries.size() ? entries.get(j) : null;
          int status = e == null ? 0 : FhirResources.statusCode(e.getResponse().getStatus());
          if (status >= 200 && status < 300) {
            continue;
          }
          String problem = e == null ? "no response entry" : outcome(status, e);
          boolean transientFailure = status == 0 || status == 429 || status >= 500;
          if ((transientFailure || status == 409 || status == 412) && attempt < ATTEMPTS) {
            again.add(c);
          } else if (transientFailure) {
            throw new FhirServiceUnavailableException(
                "The FHIR server "
                    + fhir.http().base()
                    + " kept failing to create "
                    + c.what()
                    + ": "
                    + problem,
                null);
          } else {
            failed.put(
                c,
                new FhirResourceRejectedException(
                    "Creating " + c.what() + " failed with HTTP " + problem));
          }
        }
      }
      todo = again;
    }
    return failed;
  }

  private static String outcome(int status, BundleEntryComponent e) {
    return status
        + (e.getResponse().getOutcome() == null
            ? ""
            : FhirHttp.outcomeText(FhirResources.encode(e.getResponse().getOutcome())));
  }

  private List<BundleEntryComponent> send(List<Create> chunk) {
    Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
    for (Create c : chunk) {
      String url = c.resource().fhirType() + "/" + c.resource().getIdElement().getIdPart();
      BundleEntryComponent entry = batch.addEntry().setFullUrl(url).setResource(c.resource());
      entry.getRequest().setMethod(HTTPVerb.PUT).setUrl(url);
    }
    FhirHttp.Response r = fhir.postBundle(batch);
    if (!r.isSuccess()) {
      throw new FhirServiceUnavailableException(
          "Creating "
              + chunk.size()
              + " resources in one batch on "
              + fhir.http().base()
              + " failed with HTTP "
              + r.status()
              + FhirHttp.outcomeText(r.body()),
          null);
    }
    try {
      Bundle response = FhirResources.parse(r.body(), Bundle.class);
      if (response.getType() != Bundle.BundleType.BATCHRESPONSE) {
        throw new IllegalStateException("a " + response.getType() + " bundle");
      }
      return response.getEntry();
    } catch (RuntimeException e) {
      throw new FhirServiceUnavailableException(
          "The FHIR server "
              + fhir.http().base()
              + " answered a batch of "
              + chunk.size()
              + " creates with an unreadable body or no batch-response",
          e);
    }
  }
}
