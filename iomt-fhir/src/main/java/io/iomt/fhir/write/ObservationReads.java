package io.iomt.fhir.write;

import io.iomt.core.error.FhirServiceUnavailableException;
import io.iomt.fhir.FhirResources;
import io.iomt.fhir.http.FhirHttp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Observation;

/**
 * Reads Observations by id: one batch of {@code GET Observation/<id>} entries, answered entry by
 * entry in request order. Only an explicit 404/410 entry counts as "absent". An entry that is
 * missing (a short response), names another Observation, or carries no status is not trusted: that
 * Observation is re-read alone with a plain GET, so a truncated answer can never make an existing
 * Observation look new (which would overwrite its merged values). A response that is not a readable
 * bundle at all, or any other failure, is a blocking {@link FhirServiceUnavailableException}.
 * Thread-safe.
 */
final class ObservationReads {
  private final FhirResources fhir;

  ObservationReads(FhirResources fhir) {
    this.fhir = fhir;
  }

  /**
   * The existing Observations among {@code ids}, with {@code meta.versionId} set whenever the
   * server told the version (from the meta or the id's {@code _history} part).
   */
  Map<String, Observation> read(List<String> ids) {
    Map<String, Observation> out = new HashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
    for (String id : ids) {
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
    List<BundleEntryComponent> entries = entries(r.body(), ids.size());
    List<String> unanswered = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i);
      BundleEntryComponent e = i < entries.size() ? entries.get(i) : null;
      int status = e == null ? 0 : FhirResources.statusCode(e.getResponse().getStatus());
      if (status == 200 && e.getResource() instanceof Observation o && id.equals(idOf(o))) {
        out.put(id, normalized(o));
      } else if (status == 404 || status == 410) {
        continue;
      } else if (status == 0 || status == 200) {
        unanswered.add(id);
      } else {
        throw new FhirServiceUnavailableException(
            "Reading Observation/" + id + " failed with " + e.getResponse().getStatus(), null);
      }
    }
    for (String id : unanswered) {
      readOne(id).ifPresent(o -> out.put(id, o));
    }
    return out;
  }

  private java.util.Optional<Observation> readOne(String id) {
    FhirHttp.Response r = fhir.http().get("Observation/" + id);
    if (r.status() == 404 || r.status() == 410) {
      return java.util.Optional.empty();
    }
    if (r.isSuccess()) {
      Observation o = parse(r.body(), Observation.class, "Observation/" + id);
      if (id.equals(idOf(o))) {
        return java.util.Optional.of(normalized(o));
      }
    }
    throw new FhirServiceUnavailableException(
        "Reading Observation/"
            + id
            + " from "
            + fhir.http().base()
            + " failed with HTTP "
            + r.status()
            + FhirHttp.outcomeText(r.body()),
        null);
  }

  private List<BundleEntryComponent> entries(String body, int requested) {
    Bundle response = parse(body, Bundle.class, "the batch read of " + requested + " Observations");
    if (response.getType() != Bundle.BundleType.BATCHRESPONSE) {
      throw new FhirServiceUnavailableException(
          "The FHIR server "
              + fhir.http().base()
              + " answered a batch read of "
              + requested
              + " Observations with a "
              + response.getType()
              + " bundle instead of a batch-response",
          null);
    }
    return response.getEntry();
  }

  private <T extends org.hl7.fhir.r4.model.Resource> T parse(
      String body, Class<T> type, String what) {
    try {
      return FhirResources.parse(body, type);
    } catch (RuntimeException e) {
      throw new FhirServiceUnavailableException(
          "The FHIR server "
              + fhir.http().base()
              + " answered "
              + what
              + " with an unreadable body",
          e);
    }
  }

  private static String idOf(Observation o) {
    return o.getIdElement().getIdPart();
  }

  private static Observation normalized(Observation o) {
    if (!o.getMeta().hasVersionId() && o.getIdElement().hasVersionIdPart()) {
      o.getMeta().setVersionId(o.getIdElement().getVersionIdPart());
    }
    o.setId(o.getIdElement().getIdPart());
    return o;
  }
}
